"""What vulture (``make lint``) may take for dead code but is not: reviewed, one reason a line.

vulture reads ``sprintdesk/`` and ``bench/`` with this file, not ``tests/``: code that only a test
calls is reported, so a name here that a test uses is a hook the test needs (it resets process-wide
state or observes what the user would see), not a feature nobody calls. This file is never run;
``_`` stands for any object. Add a line only with its reason; remove it when the name goes.
"""

# ruff: noqa
# mypy: ignore-errors

# --- Qt calls these (virtual overrides) ---------------------------------------------------------
_.headerData  # QAbstractItemModel: the views' column titles (agenda, tables, roster)
_.multiData  # QAbstractItemModel: every role of an agenda cell in one call (a tick's repaint)
_.supportedDropActions  # QAbstractItemModel: drag-and-drop reordering
_.supportedDragActions  # QAbstractItemModel: drag-and-drop reordering (agenda)
_.mimeTypes  # QAbstractItemModel: the agenda's drag payload
_.mimeData  # QAbstractItemModel: the agenda's drag payload
_.dropMimeData  # QAbstractItemModel: the agenda's drop
_.dropEvent  # QTableView: the tables' internal move
_.paintEvent  # QWidget: charts, capacity bars, the first frame's painted cards
_.mergeWith  # QUndoCommand: typing in one field is one undo step
_.loadResource  # QTextBrowser: the preview loads no remote or file resources
_.itemAt  # QLayout: the header's wrapping row of clock buttons (ui/flow_layout.py)
_.takeAt  # QLayout: the same row (no call of our own since Availability swaps whole panels)

# --- SQLAlchemy ---------------------------------------------------------------------------------
_.autoflush  # Session attribute, read by SQLAlchemy (off while autosave is failing)
created_at  # column: when the sprint was created (schema 0001), kept for the record
meeting_ended_at  # column: written when a meeting ends (meeting.py, start-up reader)
_.meeting_ended_at  # the same column, set through the ORM and read raw at start-up
source_updated_at  # column (schema 0002): an imported issue's edit time, for history import
changed_at  # column (schema 0005): when a row was last changed; read by name (conflicts.stamp_of)
_.changed_at  # the same column, written at every flush (conflicts.stamp_changes)

# --- hooks the tests and benchmarks need ---------------------------------------------------------
clear_rate_limits  # github.client: the rate-limit pause is process-wide; tests reset it
forget_secrets  # system.logs: the redaction list is process-wide; tests reset it
_.title_size  # clock header: the fitted title size, which tests check as the window resizes
_.locked  # single instance: tests check who holds the lock
_.settings_dialog  # publish dialog: the modeless Settings it opened, for tests to drive
_.pick  # choice pickers: choose a value as the user would (tests; refusals are signalled)
_.latency  # tests/fakegithub.py (not read by vulture): the publish benchmark's slow network

# --- the chime ----------------------------------------------------------------------------------
chimes  # ui/meeting_controls.py: how often the chime sounded at time's up, read by tests
_.chimes  # ui/main_window.py, ui/meeting_controls.py: the same counter

# --- the team database and the importer's vocabulary ----------------------------------------------
_.team_sections  # markdown/vocabulary.py: read by name (getattr) when the language files merge
_.retro_kinds  # markdown/vocabulary.py: the same
__mapper_args__  # plan/model.py: SQLAlchemy reads the version counter's mapper arguments
_._review  # ui/features.py: keeps the modeless import review alive while it is shown
_._history_dialog  # ui/features.py: keeps the history-import dialog alive while it works
_.beeps  # ui/chime.py: how often the system beep stood in for the file (the tests read it)
Presence  # plan/model.py: the presence table's definition (schema 0004); storage/presence.py writes
_.heartbeat_at  # it in SQL, one statement a beat, and Alembic compares the model with the schema

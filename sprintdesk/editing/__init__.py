"""The editing document the pages change the plan through (undo stack, autosave), list edits,
and the one background-job helper for worker threads. Qt core, no widgets."""

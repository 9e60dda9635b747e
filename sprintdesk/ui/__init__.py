"""The shell: the main window and what it owns (meeting controls, window actions, the first
frame), the clock header, agenda, menus, dialogs, mini timer, crash dialog, single instance."""

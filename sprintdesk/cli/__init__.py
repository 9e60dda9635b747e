"""The command line (``sprintdesk-cli``): the parser, its commands and their options. No Qt: a
test proves it loads no PySide6."""

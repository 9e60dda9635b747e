"""What the process needs from the machine: data and resource paths, logging (with secrets
redacted) and the token in the keyring. Imports nothing else of SprintDesk."""

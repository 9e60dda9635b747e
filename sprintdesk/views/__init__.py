"""The pages of the meeting's sections and the tool windows (capacity, history, roster,
availability, GitHub people, preview, welcome), with the widgets they share."""

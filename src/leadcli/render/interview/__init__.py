"""The live interview's question view, one stored interview, and the list of interviews."""

"""One module per command: parse arguments, make one core call, render the result."""

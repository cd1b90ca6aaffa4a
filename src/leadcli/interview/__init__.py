"""The live interview: the question and reflection loops, session set-up, answers files."""

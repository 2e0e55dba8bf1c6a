"""Evolution: tasks, evosax strategies, in-world selection, batch runner."""

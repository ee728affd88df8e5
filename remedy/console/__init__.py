"""The remedy team's web console (blueprint). Queues and case work build on this."""

"""The voice channel's use cases: a call as a small workflow, its prompts, its recordings."""

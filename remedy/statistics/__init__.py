"""Public statistics: what the mechanism received and how it ended, with small numbers
hidden so no one can be singled out (DESIGN §6). See docs/statistics.md."""

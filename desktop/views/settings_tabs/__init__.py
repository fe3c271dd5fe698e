"""The settings dialog's tabs, one module each, plus what they share (`common`)."""

"""nccd: find copy-pasted boilerplate across Freedom of Information responses."""

__version__ = "0.1.0"

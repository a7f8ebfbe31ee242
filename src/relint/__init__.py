"""relint: a register of a public body's international agreements."""

__version__ = "0.1.0"

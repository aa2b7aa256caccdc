"""dealweb: map the web of deals between AI companies, find circular money, stress-test it."""

__version__ = "0.1.0"

"""Digital Diplomacy Maturity Toolkit: assess, score and compare foreign ministries' digital diplomacy."""

__version__ = "0.1.0"

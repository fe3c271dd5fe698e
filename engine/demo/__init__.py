"""A demo library for someone who just wants to look: small generated media files with the
project's own texts (no copyrighted data). `make_demo_library(target)` writes it."""

from engine.demo.build import DemoCancelled, DemoLibrary, make_demo_library

__all__ = ["DemoCancelled", "DemoLibrary", "make_demo_library"]

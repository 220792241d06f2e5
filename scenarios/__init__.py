"""The shipped scenario files (TOML). This file only makes them package data of
``optimizer.scenarios`` (see ``setup.cfg``); the scenarios are documented in README.md here."""

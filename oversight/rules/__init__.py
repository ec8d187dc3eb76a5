"""The regulation's Articles 3–9 as pure functions: facts in, findings out. No Django here."""

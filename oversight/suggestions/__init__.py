"""Deputies' suggestions, criticisms and opinions (Art. 10(四)): assignment, the law's clocks, replies,
evaluation, rehandling, withdrawal and closing, through one guarded state machine (RULES.md "Suggestions")."""

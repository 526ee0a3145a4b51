"""Who may do what: roles per ministry (`roles`), sign-in accounts (`accounts`), and the workspace
that checks a person's role before every read and write of the store (`workspace`); team rounds
(`team`): the respondent role of one round and the facilitator's consolidation, on top of the workspace.

Layer 4. May import: store, model, errors, issues, safe, i18n.
"""

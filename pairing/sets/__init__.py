"""Action learning sets: a cycle formed by one round of a stable-groups programme, each
set's dated series of sessions (calendar invitations, moves, cancellations), the rota of
who brings an issue, leaving and merging sets, per-session check-ins and the end-of-cycle
set evaluation.

Modules: `models` (imported by `pairing.models`), `plan` (pure: dates and rota),
`forming` (when the forming round is saved), `services` (every write a member or
organiser makes), `notify` (outbox rows), `schedule` (reminders and check-ins from the
tick), `selectors`, `calendar` and `emails` (renderers), `forms`, `reports` (evidence,
CPD, my data). Nothing here imports `pairing.rounds`: the rounds call in.
"""

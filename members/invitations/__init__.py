"""Organisers' own messages: invitations to join a programme (a CSV or pasted addresses,
checked row by row before anything is sent; a signed link that opens sign-up with the
address filled in and lands on the programme's join page; "never invite me again") and
announcements to a programme's active members. Both go out through the outbox."""

"""Feedback: "did you meet?" follow-ups, check-ins and evaluations, signed answer links,
and what organisers and members make of them: the evidence page and pack, CSV exports,
the CPD record and shared takeaways."""

"""Search-strategy peer review (the `search_review` kind): members of a pair share the
literature-search strategy they want reviewed (pasted text and/or a file, with its
question, databases and limits), each partner reviews it with the PRESS 2015 elements,
and the author reads the review and may add a revised version.

`uploads` checks files by their content; `services` changes state and queues emails;
`selectors` builds what the match page shows to one viewer; `evidence` adds the figures
to the programme's evidence page."""

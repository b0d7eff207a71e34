"""Walk 16: "What you have in common" (match page) and "What you share" (introduction
email) write an interest's name as it reads mid-sentence, as the conversation starters do."""

from __future__ import annotations

from pairing.shared_topics import shared_sentences, topic_sentences

TOPICS = ["AI and machine learning", "Working as a solo librarian"]


def test_a_pair_reads_each_interest_in_lower_case_mid_sentence():
    sentences = topic_sentences(topics=TOPICS, names={1: "Ada", 2: "Max"})

    assert sentences == ["You both listed AI and machine learning and working as a solo librarian."]


def test_a_group_names_who_listed_an_interest_in_lower_case():
    names = {1: "Ada", 2: "Lee", 3: "Max"}
    holders = {"Open access": {1, 2, 3}, "Working as a solo librarian": {1, 3}}

    sentences = shared_sentences(list(holders), holders, names, viewer=1)

    assert sentences == [
        "You all listed open access.",
        "You and Max both listed working as a solo librarian.",
    ]

"""Free-question reading: sound-alike names, epithets, relations, near misses."""

import pytest

from bot.core.answer import Engine
from bot.core.loader import load_factbase
from bot.core.names import sound_key
from bot.core.search import phrase_fold
from bot.core.spoilers import Viewer
from bot.render.payload import to_content


@pytest.fixture(scope="module")
def engine():
    return Engine(load_factbase(), reply_cache=0)


def ask(engine, q, watched=16):
    reply = engine.ask(q, Viewer(progress=watched, private=True))
    return reply, to_content(reply, title=False)


def test_sound_key_folds_romanisations():
    assert sound_key("sungyeom") == sound_key("seongyeom")
    assert sound_key("younghwa") == sound_key("yeonghwa")
    assert sound_key("mijoo") == sound_key("miju")


def test_sound_alike_resolves_but_short_words_do_not(engine):
    assert engine.names.resolve("sun gyeom").match == "seon-gyeom"
    assert engine.names.resolve("sudan").match is None  # "Seo Dan" folds to it: too short to trust


def test_a_short_romanisation_after_a_first_syllable(engine):
    """ "Mi Ju" is Mi-joo ("ju" and "joo" are one syllable); a word alone that short is not."""
    qa = engine._questions
    assert [m.entity for m in qa.parse("who plays Mi Ju?").mentions] == ["mi-joo"]
    assert [m.entity for m in qa.parse("who plays Mi-ju?").mentions] == ["mi-joo"]
    assert qa.parse("who plays miju?").mentions == []
    assert qa.parse("is it ok or so").mentions == []
    # "call" after the name is no piece of it: "call things off" is a break-up. A verb no
    # fact uses stays where it was ("miss" apart from the name would find nothing).
    _, text = ask(engine, "does Seon-gyeom miss running?", watched=3)
    assert "running career" in text
    reply, text = ask(engine, "Why did Mi Ju call things off with him?", watched=13)
    assert reply.found and "they do break up" in text


def test_a_kind_of_drama_is_its_genre(engine):
    """ "Is Run On a sports drama?" asks what kind of show it is, not who does sport; "is it
    a slow drama?" still asks about its pace."""
    reply, _ = ask(engine, "Is Run On a sports drama?", watched=0)
    assert reply.facts == ("series.genre.journey",)
    reply, _ = ask(engine, "is it a slow drama?", watched=0)
    assert reply.found and not any(f.startswith("series.genre") for f in reply.facts)


def test_a_backstory_is_a_background(engine):
    reply, _ = ask(engine, "what is mi joo's backstory", watched=2)
    assert "mi-joo.background" in reply.facts


def test_the_start_of_the_show_is_its_premise(engine):
    """ "At the start of the show" says when, not what: it reads as the premise, never as a
    fact that says "beginning with" (a story fact past the premise). The start of an
    episode is still that episode's."""
    reply, _ = ask(engine, "what is Seon Gyum's job at the start of the show", watched=0)
    assert "seon-gyeom.athlete" in reply.facts and "seon-gyeom.agent-plan" not in reply.facts
    reply, text = ask(engine, "What kind of runner is Seon-gyeom at the start of the show?", watched=0)  # fmt: skip
    assert "seon-gyeom.sprinter" in reply.facts and "sprinter (newspaper" in text
    reply, _ = ask(engine, "what happens at the start of the show?", watched=0)
    assert "event.premise" in reply.facts and not reply.withheld
    # Asked of a person, "at the start" leaves who they are.
    reply, _ = ask(engine, "who is woo-sik at the start of the story")
    assert reply.facts == ask(engine, "who is woo-sik")[0].facts
    # The start of an episode, of a relationship, of a race is no premise.
    reply, _ = ask(engine, "What happens at the beginning of episode 13?", watched=13)
    assert "event.ep13-breakup" in reply.facts
    for other in ("at the start of the second episode", "in the beginning of their relationship", "at the start of the race"):  # fmt: skip
        assert "premise" not in phrase_fold(other)
    reply, _ = ask(engine, "is the beginning of the show slow", watched=0)
    assert "reception.newspaper.slow-start" in reply.facts


def test_a_progress_remark_names_no_episode_that_says_nothing(engine):
    """ "im on ep 14, did they break up": episode 14 says nothing of it, so the question is
    read as if asked alone (with its own retries); an episode that does answer still wins."""
    reply, text = ask(engine, "im on ep 14, did seon gyeom and mi joo break up or not, im confused", watched=14)  # fmt: skip
    assert reply.found and "they do break up" in text
    reply, _ = ask(engine, "just finished ep 13, why did seon gyeom cry??", watched=13)
    assert reply.facts[0] == "event.ep13-tears"
    reply, _ = ask(engine, "im on ep 12, did seon gyeom and mi joo break up or not", watched=12)
    assert "event.ep13-breakup" not in reply.facts


def test_standing_by_someone_is_staying_with_them(engine):
    reply, _ = ask(engine, "Does Eun-bi's boyfriend stand by her?")
    assert reply.facts == ("eun-bi.boyfriend-believes",)
    reply, _ = ask(engine, "Does Eun-bi's boyfriend stand by her?", watched=3)
    assert not reply.facts and reply.withheld == 1


def test_epithet_needs_one_character_and_no_crew(engine):
    qa = engine._questions
    assert [m.entity for m in qa.parse("the sprinter's agent").mentions] == ["seon-gyeom"]
    assert qa.parse("who is the lead").mentions == []  # two leads fit
    assert qa.parse("who is the writer").mentions == []  # the screenwriter fits too
    assert qa.parse("who is the owner of the house").mentions == []  # "the X of Y" is no epithet


def test_romance_by_verb_is_gated(engine):
    reply, text = ask(engine, "who does Mae-yi date?", watched=2)
    assert "Je-wook" not in text and not any(f for f in reply.facts if engine.base.fact_by_id[f].gate > 2)  # fmt: skip
    _, text = ask(engine, "who does Mae-yi date?", watched=16)
    assert "Je-wook" in text


def test_relation_without_possessive(engine):
    _, text = ask(engine, "dan-ah father actor")
    assert "no review names who plays" in text


def test_near_miss_is_i_dont_know(engine):
    reply, _ = ask(engine, "which production company made it?")
    assert not reply.found


def test_episode_question_ignores_whole_run_facts(engine):
    reply, _ = ask(engine, "what happens in ep 3")
    assert all(engine.base.fact_by_id[f].episodes != (1, 16) for f in reply.facts)


def test_a_family_of_facts_answers_together(engine):
    """Each review's word on the genre, not the top three; and no runner dispute for "kind"."""
    reply, text = ask(engine, "what genre is run on", watched=0)
    assert {f for f in reply.facts if f.startswith("series.genre.")} == {f.id for f in engine.base.facts if f.id.startswith("series.genre.")}  # fmt: skip
    assert "sprinter" not in text
    _, text = ask(engine, "What kind of runner is Seon-gyeom?", watched=0)
    assert "sprinter" in text and "marathon" in text  # the framing word still reads the dispute


def test_end_up_means_in_the_end_not_the_ending(engine):
    _, text = ask(engine, "does Mae end up dating anyone")
    assert "Je-wook" in text
    _, text = ask(engine, "what career does Seon-gyeom end up in?")
    assert "agent" in text


def test_romance_by_verb_prefers_facts_that_name_someone(engine):
    _, text = ask(engine, "who does Ye-jun love")
    assert "Young-hwa" in text and not text.startswith("Ye-jun's boyfriend")


def test_full_and_family_names(engine):
    _, text = ask(engine, "what is Mi-joo's last name", watched=0)
    assert "Oh Mi-joo" in text and "Oh is the family name" in text
    reply, _ = ask(engine, "what is dan-ah's father's name", watched=0)
    assert not reply.found


def test_an_unnamed_relative_is_said_to_be_unnamed(engine):
    _, text = ask(engine, "who is Dan-ah's secretary")
    assert text.startswith("No review names Dan-ah's secretary.")
    assert text.count("Dan-ah's secretary.") == 1  # not the label again as its summary


def test_a_review_named_by_its_score(engine):
    reply, text = ask(engine, "who wrote the 3 star review", watched=0)
    assert not reply.found and "newspaper review names no author" in text
    reply, text = ask(engine, "who wrote the 8 out of 10 review", watched=0)
    assert not reply.found and "blog-full" in text
    reply, text = ask(engine, "what newspaper published the 3/5 review", watched=0)
    assert not reply.found and "where it was published" in text
    reply, text = ask(engine, "what is the newspaper review's score", watched=0)
    assert reply.found and "3/5" in text


def test_an_episode_past_the_last_is_said_not_to_exist(engine):
    reply, text = ask(engine, "when did episode 17 air", watched=0)
    assert reply.found and "16 episodes" in text and "no episode 17" in text


def test_what_someone_says_is_a_quoted_line(engine):
    _, text = ask(engine, "what does Seon-gyeom's mother say to his father")
    assert "star of my life" in text
    _, text = ask(engine, "who does Ye-jun love")
    assert "first love" in text  # "first love" is a love too


def test_how_many_is_answered_by_a_fact_that_gives_a_number(engine):
    reply, _ = ask(engine, "how many episodes is run on", watched=0)
    assert reply.facts[0] == "series.episode-count" and reply.withheld == 0
    assert all(f.startswith("series.") for f in reply.facts)  # not every fact that says "episode"
    reply, _ = ask(engine, "How many minutes is an episode?", watched=0)
    assert reply.facts[0] == "series.runtime"


@pytest.mark.parametrize(
    "question",
    ["what is young-hwa's girlfriend's surname", "what is dan-ah's boyfriend's last name",
     "what is woo-sik's agent's last name", "what is Ye-jun's boyfriend's name",
     "who plays Ye-jun's boyfriend", "what job does young-hwa's girlfriend have"],
)  # fmt: skip
def test_a_relation_known_later_names_nobody_before_it(engine, question):
    """Not the person, nor whether the reviews name them or their actor."""
    reply, text = ask(engine, question, watched=0)
    assert reply.withheld >= 1 and not reply.facts
    for name in ("Dan-ah", "Young-hwa", "Seon-gyeom", "boyfriend", "No review"):
        assert name not in text


def test_an_actors_character_name_is_the_role(engine):
    for question in ("what is Im Si-wan's character's name", "what is the name of the character played by Kang Tae-oh"):  # fmt: skip
        _, text = ask(engine, question, watched=0)
        assert "plays" in text and "family name" not in text


def test_a_family_name_a_review_gives_in_another_spelling(engine):
    _, text = ask(engine, "what is Ye-jun's last name")
    assert "Go Ye Joon (journey)" in text and "none gives a family name" not in text


def test_likeness_needs_a_show_after_like(engine):
    reply, _ = ask(engine, "what did others like about it")
    assert not any(f.startswith("comparison.") for f in reply.facts)


def test_romance_falls_back_to_the_relation_when_no_fact_says_the_verb(engine):
    _, text = ask(engine, "who does Ye-jun kiss")
    assert "Ye-jun's boyfriend" in text


def test_a_quoted_line_is_the_speakers_own(engine):
    _, text = ask(engine, "what does seon-gyeom's father say")
    assert "star of my life" not in text


@pytest.mark.parametrize("question", ["when did episode 100 air", "when did episode seventeen air", "episode 99999999999"])  # fmt: skip
def test_any_episode_past_the_last(engine, question):
    reply, text = ask(engine, question, watched=0)
    assert reply.found and "16 episodes, so there is no episode" in text


def test_an_episode_number_is_not_a_score(engine):
    _, text = ask(engine, "who wrote the review of episode 8", watched=0)
    assert "blog-full" not in text


def test_is_a_character_an_actor_asks_their_job(engine):
    _, text = ask(engine, "is ji-woo an actor", watched=0)
    assert "Ji-woo, Seon-gyeom's mother, is an actor." in text
    _, text = ask(engine, "who plays ji-woo", watched=0)
    assert "Cha Hwa-yeon" in text


def test_a_persons_fate_is_the_end_of_their_story(engine):
    reply, text = ask(engine, "woo sik ending")
    assert "recovers" in text
    reply, _ = ask(engine, "what is eun-bi's fate")
    assert "eun-bi.boyfriend-believes" in reply.facts
    reply, _ = ask(engine, "woo sik ending", watched=0)
    assert reply.withheld and not any(engine.base.fact_by_id[f].gate for f in reply.facts)


def test_an_episodes_card_keeps_its_dates_out_of_what_happens(engine):
    reply = engine.episode(1, Viewer(progress=16, private=True))
    happens = [f for f in reply.fields if f.name == "What happens"]
    assert not happens and "16 December 2020" in to_content(reply)
    _, text = ask(engine, "ep 1 recap", watched=1)
    assert "Wednesday 16 December 2020" in text


def test_contractions_and_possessives_without_apostrophes(engine):
    _, text = ask(engine, "whats mae's job", watched=0)
    assert "subtitling company" in text
    reply, text = ask(engine, "who plays dan ahs little brother", watched=16)
    assert not reply.found and "younger brother" in text


def test_a_description_that_fits_several_unplayed_people_is_i_dont_know(engine):
    reply, text = ask(engine, "who plays the coworker at the dinner party", watched=0)
    assert not reply.found and "no review names who plays the co-worker" in text


def test_relation_possessives_without_apostrophes_and_the_main_guy(engine):
    reply, text = ask(engine, "whats seon gyeoms dads name", watched=0)
    assert not reply.found and "name" in text
    _, text = ask(engine, "is im siwan the main guy", watched=0)
    assert "Ki Seon-gyeom" in text
    _, text = ask(engine, "does mi joo live alone", watched=0)
    assert "Mae-yi" in text


def test_typo_correction_skips_only_words_that_cannot_reach_the_cutoff(engine):
    """The length filter is exact: the same corrections as searching every fact word."""
    from rapidfuzz import fuzz, process

    from bot.core.search import CORRECT_CUTOFF

    index = engine.index
    for typo in ["direced", "viewership", "scandle", "transltor", "episdoe", "paintr", "brakeup", "sprnter"]:  # fmt: skip
        everywhere = process.extractOne(typo, index.words, scorer=fuzz.ratio, score_cutoff=CORRECT_CUTOFF)  # fmt: skip
        near = process.extractOne(typo, index._words_of_length(len(typo)), scorer=fuzz.ratio, score_cutoff=CORRECT_CUTOFF)  # fmt: skip
        assert (everywhere and everywhere[0]) == (near and near[0])
        assert len(index._words_of_length(len(typo))) < len(index.words)


def test_how_two_people_are_related(engine):
    _, text = ask(engine, "Who is Ki Eun-bi in relation to Seon-gyeom?")
    assert "Ki Eun-bi is Ki Seon-gyeom's sister." in text
    reply, text = ask(engine, "how is Young-hwa related to Dan-ah", watched=0)
    assert (
        "boyfriend" not in text and "girlfriend" not in text
    )  # a romance gated later stays hidden


def test_out_of_scope_person_questions(engine):
    for question in ("How old is Ki Seon-gyeom?", "What drama did Im Si-wan star in after Run On?", "what other shows has Shin Se-kyung been in"):  # fmt: skip
        reply, _ = ask(engine, question)
        assert not reply.found, question


def test_examiner_framing(engine):
    _, text = ask(engine, "How heavily does the 'Journey of Self Discovery and Love' review spoil the series?", watched=0)  # fmt: skip
    assert "Spoilers: heavy" in text
    _, text = ask(engine, "Which character does the full blog review feel most sorry for?")
    assert "Eun-bi" in text
    _, text = ask(engine, "Where does the final scene of Run On take place?")
    assert "cinema" in text
    _, text = ask(engine, "What kind of company does Mae-yi own?", watched=0)
    assert "subtitling company" in text


def test_come_across_is_meeting_and_a_real_word_is_not_a_typo(engine):
    _, text = ask(engine, "How did Dan-ah come across Young-hwa, according to Kathleen Herrera's review?")  # fmt: skip
    assert "art foundation museum" in text


def test_an_episode_question_in_words_no_episode_fact_uses(engine):
    _, text = ask(engine, "What is remarkable about Seon-gyeom's reaction in episode 13?")
    assert "tears" in text


def test_chat_shorthand_and_initials(engine):
    _, text = ask(engine, "what job does sg get in the end")
    assert "agent" in text
    _, text = ask(engine, "lmaooo what happened w dana's bday party")
    assert "confetti" in text or "surprise" in text
    _, text = ask(engine, "wats the highest score any review gave it", watched=0)
    assert "9/10" in text
    assert engine.names.resolve("da").match is None and engine.names.resolve("my").match is None


def test_do_the_reviews_agree(engine):
    _, text = ask(engine, "Do the reviews agree on what kind of runner Seon-gyeom is?")
    assert "sprinter" in text and "marathon" in text
    _, text = ask(engine, "is seon gyeom a sprinter or a marathon guy")
    assert "sprinter" in text and "marathon" in text


def test_reviews_by_spoilers_date_and_a_gated_dispute_is_never_an_empty_reply(engine):
    _, text = ask(engine, "Which of the five reviews warns of major spoilers?", watched=0)
    assert "**journey**: spoilers heavy (Major spoilers" in text
    _, text = ask(
        engine, "What rating did the review dated October 11, 2022 give Run On?", watched=0
    )
    assert "9/10" in text
    reply, text = ask(engine, "What position does Dan-ah hold by the end of the series?")
    assert reply.found and text.strip() and "Vice President" in text


def test_a_proper_names_words_are_not_looked_up_as_words(engine):
    """ "Young" in Young-hwa is no child: "as a kid" is Dan-ah's childhood, not his party."""
    _, text = ask(engine, "what did dan-ah want to be as a kid")
    assert "football" in text


def test_a_fact_that_stands_out_answers_a_question_of_known_words(engine):
    """Below the usual coverage, but every word is the base's own and one fact leads."""
    _, text = ask(engine, "What does Ji-woo want to put first, instead of her husband's political ambitions?")  # fmt: skip
    assert "acting career" in text
    reply, _ = ask(engine, "Do Seon-gyeom's parents stay married?", watched=4)
    assert reply.withheld and not reply.facts  # held back, not "the reviews don't say"
    reply, _ = ask(engine, "Did Choi Soo-young win Best Actress at an awards show for this role?")
    assert not reply.found


def test_paraphrases_of_the_fifth_set(engine):
    _, text = ask(engine, "Who penned the script for Run On?", watched=0)
    assert "Park Shi-hyun" in text
    _, text = ask(engine, "Professionally speaking, what is Seo Dan-ah to Seon-gyeom?")
    assert text.startswith("Seo Dan-ah is Ki Seon-gyeom's agent.")
    _, text = ask(engine, "after gettin kicked off the team where does seon gyeom crash")
    assert "living room" in text
    _, text = ask(engine, "who is the heroine", watched=0)
    assert text.startswith("**Oh Mi-joo")


def test_review_titles_quoted_in_part_and_verbs_are_no_head_nouns(engine):
    _, text = ask(engine, "When was 'A Journey of Self Discovery and Love' published?", watched=0)
    assert "Published: 11 October 2022." in text
    _, text = ask(engine, "Who is the author of the '[Review] Run-On' piece?", watched=0)
    assert "Kathleen Herrera" in text
    _, text = ask(engine, "which reviewer says even the 'villains' weren't toxic")
    assert "journey review" in text
    _, text = ask(engine, "What becomes of Seon-gyeom's parents' marriage?")
    assert "divorce" in text
    _, text = ask(engine, "how long r the episodes roughly", watched=0)
    assert "1 hour 10 minutes" in text


def test_reviews_asked_about_by_spoilers_scores_and_month(engine):
    _, text = ask(engine, "is the newspaper review safe to read spoiler-wise?", watched=0)
    assert "Spoilers: heavy" in text
    _, text = ask(engine, "do the reviewers agree on how good it is score-wise?", watched=0)
    assert "3/5" in text and "9/10" in text
    _, text = ask(engine, "What genres does the October 2022 review file it under?", watched=0)
    assert "slice of life, romance and sports" in text


def test_sixth_set_patterns(engine):
    _, text = ask(engine, "what does seon gyeom's dad do to eun bi")
    assert "sacrifices her" in text  # Eun-bi stays in the question beside the relation
    _, text = ask(engine, "how do mi-joo and seon-gyeom first meet? i read two different versions")
    assert "translator" in text and "dinner party" in text
    _, text = ask(engine, "whatever happened with dan-ah's illness storyline")
    assert "faint" in text
    _, text = ask(engine, "does the unhurriedly strides review have a rating", watched=0)
    assert "Score: no score" in text  # "strides" is the title's word, not a typo for "stories"


def test_an_episode_date_says_how_it_was_arrived_at(engine):
    """Episodes 1 and 16 are dated by the reviews themselves; only the rest are counted."""
    _, last = ask(engine, "when did the last episode air")
    assert "Thursday 4 February 2021" in last and "the stated last air date" in last and "schedule" not in last  # fmt: skip
    _, fifth = ask(engine, "when did episode 5 air")
    assert "Wednesday 30 December 2020" in fifth and "(worked out from the first air date and the Wednesday/Thursday schedule)" in fifth  # fmt: skip
    listing = to_content(engine.episodes(Viewer(progress=0)), title=False)
    assert "The reviews state the dates of episodes 1 and 16; the others are worked out" in listing
    card = to_content(engine.episode(16, Viewer(progress=16)), title=False)
    assert "(the stated last air date; the weekday is worked out from it)" in card


def test_seventh_set_patterns(engine):
    qa = engine._questions
    # A name's first syllable and a misspelt second one, four letters in all.
    assert [m.entity for m in qa.parse("whos mi jo's roomate").mentions] == ["mi-joo"]
    assert qa.parse("is it ok or so").mentions == []  # short words that start no name stay words
    _, text = ask(engine, "whos mi jo's roomate", watched=3)
    assert "Mae-yi" in text
    # Reflexive pronouns carry nothing ("themselves" matched "set themselves dreams").
    _, text = ask(engine, "which reviewer is a runner themselves", watched=0)
    assert "The journey reviewer is a runner too" in text
    _, text = ask(engine, "why did mi joo storm out of that dinner", watched=1)
    assert "walks out of a co-worker's dinner party" in text
    _, text = ask(engine, "what does dan ah's dad say to her before he dies")
    assert "I love you" in text
    # A remark before the question; the episode it names is still the one asked about.
    reply, text = ask(engine, "just finished ep 13, why did seon gyeom cry??", watched=13)
    assert reply.found and "cries" in text
    # A yes/no between two: the first answered when the pair is not.
    _, text = ask(engine, "is it a romcom or more of a serious drama", watched=0)
    assert "romcom" in text
    # A review named by the unit it scores in, and the outlet none names.
    reply, text = ask(engine, "what does the ramen review say about eun bi")
    assert reply.found and "Eun-bi" in text and set(reply.sources) <= {"blog-full", "journey"}
    _, text = ask(engine, "which newspaper ran the 3/5 review", watched=0)
    assert "does not name where it was published" in text


def test_ratings_name_the_highest_and_the_lowest(engine):
    """'which review liked it the most' is answered by name, not left to the table."""
    _, text = ask(engine, "which review liked it the most", watched=0)
    assert "Highest of the 3 scored: journey (9/10); lowest: newspaper (6/10)." in text


def test_who_the_show_suits_filming_episodes_and_review_records(engine):
    # "who would like it", "who might not like it", "a good pick": the who-is-it-for facts.
    _, text = ask(engine, "who would like run on and who wouldnt", watched=0)
    assert "plot twists may not enjoy" in text and "should skip it" in text
    reply, text = ask(engine, "according to the unhurriedly review who might not like it", watched=0)  # fmt: skip
    assert "plot twists may not enjoy" in text and reply.sources == ("unhurried",)
    _, text = ask(engine, "i want something action packed, is run on a good pick?", watched=0)
    assert "should skip it" in text
    # No review says where it was shot; Ji-woo's film is still a film.
    reply, text = ask(engine, "where did they film the track scenes")
    assert not reply.found and "where it was filmed" in text
    _, text = ask(engine, "where is ji-woo's film shown")
    assert "premiere" in text
    # An episode asked for that no review gives: said so.
    _, text = ask(engine, "which episode has the confession scene")
    assert text.startswith("No review ties that to one episode")
    _, text = ask(engine, "which episode does seon gyeom cry in")
    assert "No review ties" not in text and "cries" in text  # both facts are ep 13 alone
    # A record asked of every review at once.
    _, text = ask(engine, "which reviews have a date on them", watched=0)
    assert "**journey**: 11 October 2022" in text and "**newspaper**: no date given" in text
    _, text = ask(engine, "who wrote each review", watched=0)
    assert "**herrera**: Kathleen Herrera" in text and "**blog-full**: no author named" in text


def test_retries_answer_only_the_question_that_was_asked(engine):
    """From a review of the remark and yes/no retries: each case once answered wrongly."""
    # The remark's episode is not carried into a question with no topic of its own.
    _, text = ask(engine, "binged to ep 14, who is seon-gyeom")
    assert "Ki Seon-gyeom (Im Si-wan)" in text and "Aired" not in text
    # The remark names who "he" is: no retry that lets "he" be anyone.
    _, text = ask(engine, "ye jun is sweet, who does he date")
    assert "Je-wook" not in text
    # "does X or Y have a sister": the first half alone asks nothing.
    reply, text = ask(engine, "does mi joo or dan ah have a sister")
    assert "Oh Mi-joo (Shin Se-kyung)" not in text
    _, text = ask(engine, "was it ep 5 or ep 6 where he cries")
    assert "Aired" not in text
    # "newspaper review" names the review; it does not ask for an outlet.
    _, text = ask(engine, "which newspaper review says the show is a slow starter", watched=0)
    assert "footing" in text
    # "the 5 star review" is a score, not the review that scores in stars.
    _, text = ask(engine, "what does the 5 star review say", watched=0)
    assert "**“K-drama review" not in text


def test_lessons_listed_and_a_reviews_view_of_two_people_first(engine):
    # A plural of what reviews enumerate asks for several; "teach", "draw" and "life"
    # frame it, and "talk about" is "say".
    reply, _ = ask(engine, "what lessons does the show teach")
    assert sum(f.startswith("theme.") for f in reply.facts) >= 4
    reply, _ = ask(engine, "what life lessons does the 9/10 review talk about")
    assert sum(f.startswith("theme.") for f in reply.facts) >= 4 and set(reply.sources) == {"journey"}  # fmt: skip
    # What a review says of two people together comes first, its own view first of all.
    _, text = ask(engine, "what did kathleen herrera like about seon gyeom and mi joo")
    assert text.startswith("Herrera loves the lead couple's communication")


def test_a_held_back_answer_has_no_weaker_stand_in(engine):
    """At episode 6 'who becomes vice president' was answered 'she is the rightful heir':
    premise, yet in that place it gave the held-back answer away."""
    reply, text = ask(engine, "Who becomes Vice President of Seomyung Group?", watched=6)
    assert reply.withheld >= 1 and "heir" not in text and "Dan-ah" not in text
    # A premise fact that answers as fully as the held-back one still answers.
    _, text = ask(engine, "what is seon gyeom's job", watched=0)
    assert "sprinter" in text


def test_eighth_set_patterns(engine):
    # "the reviews" in general name no one review ("episodes" is in the newspaper's title).
    _, text = ask(engine, "According to the reviews, how long is each episode?", watched=0)
    assert "1 hour 10 minutes" in text
    # "Name the actress who plays ...": "name" frames the question.
    _, text = ask(engine, "Name the actress who plays the heiress of Seomyung Group", watched=0)
    assert "Choi Soo-young" in text
    _, text = ask(engine, "Who does Yeong-hwa end up rooming with?")
    assert "roommates" in text and "Seon-gyeom" in text


def test_survival_is_asked_as_death(engine):
    """'does he survive' has the answer a death fact gives; held back until it is known."""
    reply, text = ask(engine, "Does Dan-ah's father survive?", watched=5)
    assert reply.withheld >= 1 and "dies" not in text
    _, text = ask(engine, "Does Dan-ah's father survive?")
    assert "dies in the last episode" in text


def test_a_greeting_or_remark_in_its_own_sentence(engine):
    """International fans open with a greeting or end with a remark (a ninth reader's set)."""
    # A sentence before the question, in words the fact base does not know.
    _, text = ask(engine, "Weiß jemand... who is director of run on?", watched=0)
    assert "Lee Jae-hoon" in text
    _, text = ask(engine, "Oi gente! can i watch run on in netflix? im from brazil", watched=0)
    assert "Netflix" in text
    # A short address before a comma, even when the question opens with no question word.
    reply, text = ask(engine, "Chị ơi, in ep 13 Mijoo and SG break up or not?", watched=13)
    assert reply.found and "break up" in text
    # A sentence that leans on the one before it is not asked alone.
    _, text = ask(engine, "the unhurried strides review compares run on to a kind of friend. what kind", watched=0)  # fmt: skip
    assert "romantic drama" not in text
    # Retried, nothing past the reader's progress shows.
    reply, text = ask(engine, "Oi gente! does dan-ah's father die?", watched=3)
    assert "dies" not in text and "deathbed" not in text


def test_honorifics_and_plain_grammar(engine):
    # "unnie" and the like follow a name and ask nothing; "papa" is the father.
    _, text = ask(engine, "Mae unnie have what kind of company?", watched=0)
    assert "subtitling company" in text
    # A yes/no between two, in the order of a statement.
    _, text = ask(engine, "SG papa is politician or businessman?", watched=0)
    assert "father is a politician" in text
    _, text = ask(engine, "who are the 4 main leads of run on?", watched=0)
    assert text.startswith("The leads:")
    # Leaving the team is what the reviews call being thrown off it.
    _, text = ask(engine, "why seon gyeom leave the team?? i just start ep 4", watched=4)
    assert "thrown off the team" in text
    # "who play X", "X younger brother": the actor and the relation, and that no review names them.
    reply, text = ask(engine, "who play Dan-ah father?")
    assert not reply.found and "no review names who plays Dan-ah's father" in text
    reply, text = ask(engine, "what is name of Dan-ah younger brother?")
    assert not reply.found and "no review gives that person's name" in text
    # "say sorry" is an apology; "before he die" the deathbed.
    _, text = ask(engine, "Dan-a father say sorry before he die?")
    assert "apologises" in text
    # "want" frames a question; it need not be in the fact.
    _, text = ask(engine, "why mi-joo want break up with seon gyeom?", watched=13)
    assert "they do break up" in text
    # "first time" is how they first met; "in first place" asks nothing.
    _, text = ask(engine, "how Mijoo and Seon Gyeom meet first time?", watched=1)
    assert "translator for a weekend" in text
    _, text = ask(engine, "why seon gyeom become athlete in first place?", watched=2)
    assert "public image" in text
    # A blogger is a reviewer, of whichever review is named.
    reply, _ = ask(engine, "what did the journey blogger think?")
    assert reply.sources == ("journey",)
    _, text = ask(engine, "what the Full Review blogger like in the drama?")
    assert "Full Review" in text


def test_what_a_review_disliked_is_its_views(engine):
    # Its views, not its story: "Dan-ah's family problems" is no complaint of the newspaper's.
    reply, _ = ask(engine, "what did the 3 star review dislike?")
    assert "reception.newspaper.rupture" in reply.facts and "dan-ah.family-woes" not in reply.facts
    reply, _ = ask(engine, "what did the 3 star review dislike?", watched=0)
    assert reply.facts == ("reception.newspaper.slow-start",)
    # A critic is a reviewer, not a criticism.
    _, text = ask(engine, "How many stars did the newspaper critic award?")
    assert "3/5 stars" in text
    # "what is bad about": its flaws; a remark that names the review keeps it asked of.
    reply, _ = ask(engine, "the 3 star review, what they say is bad about show?")
    assert reply.sources == ("newspaper",) and "reception.newspaper.rupture" in reply.facts
    # The bad guy is a villain, not the teammate who was badly bullied.
    _, text = ask(engine, "who is the bad guy")
    assert "Woo-sik" not in text and "villains" in text


@pytest.mark.parametrize(
    "question",
    [
        "Dan-ah is the heir right? who becomes vice president?",
        "Who becomes vice president? Is it Dan-ah?",
        "Dan-ah is CEO or vice president at the end?",
        "SG is still runner or agent in the end?",
    ],
)
def test_a_held_back_answer_is_not_replaced_by_a_part_of_the_question(engine, question):
    """From a review: retries once also replaced a held-back count, so a part of the
    question (a remark, one option of two, a second question) stood in for the answer."""
    reply, _ = ask(engine, question, watched=6)
    assert reply.withheld >= 1 and reply.facts == ()


def test_several_questions_are_answered_each_under_its_own(engine):
    """ "who directed it and who wrote the screenplay?": both, each under its question, and
    a question whose answer is held back says so under it (not stood in for by the other)."""
    reply, text = ask(engine, "As a film student I'd like to know who directed Run On and who wrote the screenplay.", watched=0)  # fmt: skip
    assert "Lee Jae-hoon" in text and "Park Shi-hyun" in text
    reply, text = ask(engine, "How many episodes? does dan-ah's father die?", watched=6)
    assert "16 episodes" in text and reply.withheld == 1
    assert text.index("**does dan-ah's father die?**") < text.index("1 fact past episode 6 held back")
    assert not any(f.startswith("dan-ah-father") for f in reply.facts)
    # A later question that leans on an earlier one, or guesses at its answer, is no
    # question alone: the whole is read as one.
    # From a review: a guess naming someone ("Does Dan-ah?") is no question either, and a
    # pronoun is the one before even beside another name.
    for question in ["Who becomes vice president? Is it Dan-ah?", "who is Dan-ah's brother, and what does he do?", "who is Mi-joo? why?",  # fmt: skip
                     "Who becomes vice president? Is Dan-ah the one?", "Who becomes vice president? Does Dan-ah?",  # fmt: skip
                     "Who becomes vice president? What about Dan-ah?", "Who is Dong Kyung and what is she trying to do with Seon-gyeom?"]:  # fmt: skip
        reply, text = ask(engine, question, watched=3)
        assert not text.startswith("**" + question.split("?")[0].split(" and ")[0])
        assert "heiress" not in text and "Seon-gyeom is direct" not in text
    # ", and does ...": a yes/no after a comma is a question too; a pronoun after a name in
    # it is that name's ("her husband" is Ji-woo's).
    _, text = ask(engine, "who does mae-yi date, and does ji-woo leave her husband?")
    assert text.startswith("**who does mae-yi date?**") and "**does ji-woo leave her husband?**" in text  # fmt: skip
    reply, _ = ask(engine, "does Mi-joo and Seon-gyeom break up?")  # no comma: one question
    assert "**" not in to_content(reply, title=False).split("\n")[0]
    # An "it" after a question of the show is the show: both are answered, short or not.
    _, text = ask(engine, "how many episodes is run on and where do i watch it", watched=0)
    assert "**where do i watch it?**" in text and "16 episodes" in text and "Netflix" in text
    _, text = ask(engine, "who directed it and who wrote it", watched=0)
    assert "**who wrote it?**" in text and "Lee Jae-hoon" in text and "Park Shi-hyun" in text
    _, text = ask(engine, "what did the newspaper review say and which episodes does it cover", watched=0)  # fmt: skip
    assert "**which episodes does it cover?**" not in text  # "it" is that review, not the show
    # A part's "Reviews disagree" comes under it, not after the last part.
    reply, text = ask(engine, "what is young-hwa's best friend called? who directed the show?", watched=3)
    assert reply.fields == ()
    assert text.index("Reviews disagree") < text.index("**who directed the show?**")


def test_retries_keep_what_the_question_needs(engine):
    """From a review of the ninth-set readings: each case once answered wrongly."""
    # Only a greeting is dropped before a comma, not an unknown word that asks.
    reply, _ = ask(engine, "Pregnant, Mi-joo at the end?")
    assert not reply.found
    # A sentence that names a review or a scene is what the next one's "it" means.
    _, text = ask(engine, "The 9/10 review. Who wrote it?")
    assert "Park Shi-hyun" not in text and "journey" in text
    _, text = ask(engine, "There is a ramen scene. What does it mean?")
    assert "ramen" in text
    # "who play" asks for an actor only before a name; "X sister" is claimed as "X's sister".
    _, text = ask(engine, "who play football?")
    assert "football" in text and "Choi Soo-young" not in text
    reply, text = ask(engine, "who play Ye-jun sister?", watched=3)
    assert reply.withheld >= 1 and "Kim Dong-young" not in text
    # Quitting is still the fact that says "quits"; leaving his team for an agency is not it.
    _, text = ask(engine, "why did seon-gyeom quit?")
    assert "thrown off the team" in text
    _, text = ask(engine, "will SG leave his team and join Dan-ah's agency?")
    assert "sports agent" in text
    # An apology is not a demand for one (the dinner party).
    _, text = ask(engine, "does SG apologise to Mi-joo?")
    assert "dinner party" not in text
    # Older teammates are the bullies, not a relation to look up.
    _, text = ask(engine, "who are Seon-gyeom older teammates?")
    assert "older team members are abusing" in text


def test_a_tenth_sets_phone_typing(engine):
    # The question, then a guess of the asker's own after a comma.
    _, text = ask(engine, "what days did it air, wed thurs??", watched=0)
    assert "Wednesday and Thursday" in text
    # An emoji ends a sentence; saying how far one is adds nothing to the question.
    reply, text = ask(engine, "just finished ep 13 😭😭 did seon gyeom actually cry", watched=13)
    assert reply.found and "cries" in text
    # ... unless the episode named is past the reader's progress.
    reply, _ = ask(engine, "ep 13 ruined me. does it get better?", watched=6)
    assert not reply.facts
    # "could you tell me whether": a yes/no; "lgbt" is the LGBTQ storyline.
    _, text = ask(engine, "Could you please tell me whether Run On is a sports drama or a romance? My granddaughter recommended it to me.", watched=0)  # fmt: skip
    assert "romance" in text
    _, text = ask(engine, "is there lgbt rep in run on")
    assert "LGBTQ" in text


def test_second_review_of_the_new_readings(engine):
    """From a second review (33,000 answers compared): each case once answered wrongly."""
    # Naming a character known only from a late episode is a spoiler in a public reply.
    reply = engine.ask("who play Mae-yi boyfriend?", Viewer(progress=16))
    text = to_content(reply, title=False)
    assert "||ep 16: I don't know: no review names who plays Je-wook.||" in text
    # A word describing the relation settles who is meant only at the end.
    reply, text = ask(engine, "who play Young-hwa gay friend?", watched=3)
    assert reply.withheld >= 1 and "Kim Dong-young" not in text and "Kang Tae-oh" not in text
    _, text = ask(engine, "who play Young-hwa gay friend?")
    assert "Ye-jun is played by Kim Dong-young" in text
    _, text = ask(engine, "who was seon gyeom's first client as an agent?")
    assert "Woo-sik" in text
    _, text = ask(engine, "who plays Woo-sik, the bullied teammate?", watched=0)
    assert "Lee Jung-ha" in text
    _, text = ask(engine, "who play Mi-joo and Seon-gyeom?", watched=0)
    assert "Shin Se-kyung" in text and "Im Si-wan" in text
    # A review's piece "came out": no coming out.
    reply, _ = ask(engine, "is the ending queer?", watched=3)
    assert reply.facts == ()
    # After the question, a name or a review is what the question is about, not a guess.
    reply, text = ask(engine, "does he die, seon gyeom?", watched=3)
    assert not reply.found and reply.withheld == 0
    _, text = ask(engine, "who wrote it, the journey review?", watched=0)
    assert "journey review names no author" in text
    # Before a pronoun, whoever the sentence names is who is meant.
    reply, _ = ask(engine, "The coach. Does he die?")
    assert not reply.found
    reply, _ = ask(engine, "The sis. what is her job?")
    assert not reply.found
    # An honorific after a name says nothing ("dan ah unnie's father").
    _, text = ask(engine, "dan ah unnie's father?")
    assert "Dan-ah's father" in text
    # A view asked of a review named only by its outlet.
    reply, _ = ask(engine, "what did the newspaper criticise?", watched=3)
    assert "reception.newspaper.slow-start" in reply.facts


def test_phrase_rules_leave_fact_texts_alone(engine):
    """Phrase rules fold fact texts too: "sees nothing wrong in it" is no flaw of the show,
    "it comes out that Ye-jun is gay" no release, "the herrera reviewer" no one in it."""
    reply, _ = ask(engine, "what did the journey reviewer dislike?")
    assert "ye-jun.tells-sister" not in reply.facts
    reply, _ = ask(engine, "is ye-jun gay?")
    assert "ye-jun.gay" in reply.facts
    reply, _ = ask(engine, "what did the herrera reviewer like?")
    assert reply.sources == ("herrera",)


def test_a_description_is_no_oracle(engine):
    """From a third review: whether a reply changed with the word ("sick agent" held back,
    "healthy agent" I don't know) told which words later facts use. Before the last
    episode every description gets the same reply; a guess after a comma is no license."""
    sick, _ = ask(engine, "who plays Seon-gyeom's sick agent?", watched=3)
    healthy, _ = ask(engine, "who plays Seon-gyeom's healthy agent?", watched=3)
    assert (sick.found, sick.withheld, sick.facts) == (healthy.found, healthy.withheld, healthy.facts) == (True, 1, ())  # fmt: skip
    for question in ["who is young-hwa's best friend, the gay one right?", "who plays young-hwa's best friend who is gay?"]:  # fmt: skip
        reply, text = ask(engine, question, watched=3)
        assert reply.withheld >= 1 and "Ye-jun" not in text
        _, text = ask(engine, question)
        assert "Ye-jun" in text
    # Two relation words: which is asked is unclear, and no one stands in for either.
    reply, text = ask(engine, "who play Seon-gyeom sports agent boss", watched=3)
    assert not reply.found and "Choi Soo-young" not in text


def test_no_oracle_in_remarks_or_unpossessed_descriptions(engine):
    """From a fourth review: the reply must not change with a word only later facts use."""
    def same(a, b, watched=3):
        ra, _ = ask(engine, a, watched=watched)
        rb, _ = ask(engine, b, watched=watched)
        return (ra.found, ra.withheld, ra.facts) == (rb.found, rb.withheld, rb.facts)

    # A guess after a comma, in a word only an episode-16 fact uses, reads as any unknown word.
    assert same("what does Mae-yi do, asexual?", "what does Mae-yi do, purple?")
    # A description without the possessive holds back as with it.
    assert same("who is Young-hwa best friend, the barista one right?", "who is Young-hwa best friend, the plumber one right?")  # fmt: skip
    reply, text = ask(engine, "Young-hwa best friend who is gay?", watched=3)
    assert reply.withheld >= 1 and "Ye-jun" not in text
    # Other connectors: "which is ...", "whom ...", ", gay one?".
    assert same("who is young-hwa's best friend, gay one?", "who is young-hwa's best friend, purple one?")  # fmt: skip
    assert same("who is young-hwa's best friend which is gay?", "who is young-hwa's best friend which is purple?")  # fmt: skip
    # Before the relation ("the gay best friend of Young-hwa") and after "with".
    assert same("who is the gay best friend of Young-hwa?", "who is the purple best friend of Young-hwa?")  # fmt: skip
    assert same("who is the sick agent of Seon-gyeom?", "who is the healthy agent of Seon-gyeom?")
    assert same("who is Young-hwa's friend with the crush?", "who is Young-hwa's friend with the glasses?")  # fmt: skip
    # After "the friend of Young-hwa" as after "Young-hwa's friend" (from a fifth review).
    assert same("who is the best friend of Young-hwa who is gay?", "who is the best friend of Young-hwa who is purple?")  # fmt: skip
    assert same("who is the friend of Young-hwa with the crush?", "who is the friend of Young-hwa with the glasses?")  # fmt: skip
    # "with" before a pronoun says where someone is, and describes no one.
    _, text = ask(engine, "is Mi-joo's boyfriend with her at the end?")
    assert "end the series happy together" in text
    reply, text = ask(engine, "who is the gay friend of Young-hwa?", watched=3)
    assert reply.withheld >= 1 and "Ye-jun" not in text
    _, text = ask(engine, "who is the gay friend of Young-hwa?")
    assert "Ye-jun" in text
    _, text = ask(engine, "who is the best friend of Young-hwa?", watched=3)  # "best" says which
    assert "Ye-jun" in text
    # "ex-husband" is one relation, not two; a relative clause is read with its phrases.
    reply, _ = ask(engine, "who plays Ji-woo's ex-husband?", watched=3)
    assert reply.withheld == 1
    _, text = ask(engine, "What is the name of Young-hwa's best friend who comes out as gay?")
    assert "Ye-jun" in text


def test_a_tag_asking_yes_or_no_is_not_asked_about(engine):
    # The guess before "right?" is what the answer confirms: the question is answered.
    _, text = ask(engine, "what does young wha do, hes a student right")
    assert "art student" in text
    # "right" is no "rightful heir", "true" no "true to themselves": the rest is asked.
    _, text = ask(engine, "who wrote it, the journey review right?")
    assert "names no author" in text
    _, text = ask(engine, "is it true that mi joo is a translator")
    assert "translator" in text
    _, text = ask(engine, "mi joo is a translator, correct?")
    assert "translator" in text
    # After a copula, "right" is what is asked ("which review is right"), not a tag.
    from bot.core.questions import _untagged

    assert _untagged("which review is right?") == ("which review is right?", False)
    assert _untagged("he dies right?") == ("he dies", True)
    assert _untagged("so is it true that he dies") == ("he dies", True)
    assert _untagged("right?") == ("right?", False)  # nothing left to ask
    assert _untagged("who plays her, shin se kyung correct?") == ("who plays her, shin se kyung", True)  # fmt: skip
    assert _untagged("they get married, don't they?") == ("they get married", True)
    assert _untagged("how many episodes, 16 i think") == ("how many episodes, 16", True)
    # A question that ends in "right" asks it; "true love" and "correctly" are words.
    for asked in ("does mi joo turn right", "who is the girl on the right", "is seon gyeom right",
                  "what did seon gyeom do right", "is it true love between them",
                  "is it correctly translated on netflix", "is it right to skip episode 5"):  # fmt: skip
        assert _untagged(asked) == (asked, False)


def test_a_confirming_guess_is_dropped_before_anything_is_read(engine):
    """Were the whole question read first, a guess in a word only later facts use would find
    those facts (held back) and keep the question from being answered: an oracle."""

    def seen(q, watched):
        reply, text = ask(engine, q, watched=watched)
        return reply.found, reply.facts, reply.withheld, text

    for watched in (0, 3, 12):
        for later, neutral in (("lesbian", "purple"), ("gay", "purple"), ("operation", "purple"), ("husband", "plumber")):  # fmt: skip
            for template in ("what does {} do, {} right?", "what happens to {}, {} right?", "how does {} end up, {} correct?"):  # fmt: skip
                for who in ("Dan-ah", "Ye-jun", "Ji-woo", "Woo-sik"):
                    assert seen(template.format(who, later), watched) == seen(template.format(who, neutral), watched)  # fmt: skip


def test_a_confirming_guess_needs_no_one_the_question_lacks(engine):
    # Whoever the guess names is who the question is about: it is read whole, as before.
    plain, _ = ask(engine, "who is young-hwa's best friend, ye-jun?", watched=3)
    tagged, _ = ask(engine, "who is young-hwa's best friend, ye-jun right?", watched=3)
    assert plain.facts == tagged.facts
    # A tagged story guess is held back like the question itself.
    reply, text = ask(engine, "seon gyeom and mi joo end up together right?", watched=2)
    assert reply.withheld and not reply.facts


def test_what_event_takes_place_is_what_happens_and_displayed_is_shown(engine):
    _, text = ask(engine, "What event takes place in the show's final scene?")
    assert "premiere of Ji-woo's film" in text
    _, text = ask(engine, "Where are Yeong-hwa's paintings displayed at the end?")
    assert "art show" in text
    # An athlete's event stays a word that must be found.
    reply, _ = ask(engine, "what event does woo sik run")
    assert not reply.found


@pytest.mark.parametrize(
    "question",
    ["미주 누가 연기해?", "siapa yang main jadi young hwa di runon", "sino gumaganap na dan ah",
     "Quién interpreta a Mi-joo?", "onde posso assistir run on", "ミジュは誰"],
)  # fmt: skip
def test_a_question_in_another_language_is_told_so(engine, question):
    reply, text = ask(engine, question)
    assert not reply.found and "I can only read questions asked in English." in text
    assert "/cast" in text  # the commands work whatever the reader's language


def test_english_with_a_few_foreign_words_is_read_as_ever(engine):
    _, text = ask(engine, "Mga sis, ano pangalan ng roommate ni Mijoo? what is the name of Mijoo's roommate?")  # fmt: skip
    assert "Mae-yi" in text
    reply, text = ask(engine, "is there any sexual content in Run On?")  # English, not known
    assert not reply.found and "English" not in text
    reply, text = ask(engine, "Ｗｈｏ plays Mi-joo?")  # full-width Latin is Latin
    assert "Shin Se-kyung" in text


def test_scores_say_out_of_ten_only_when_it_adds_something(engine):
    text = to_content(engine.ratings(Viewer()), 6000)
    assert "**newspaper**: 3/5 stars (6/10) —" in text and "**journey**: 9/10 —" in text
    assert "9/10 (9/10)" not in text and "= 9/10" not in text
    _, card = ask(engine, "what score did the journey review give", watched=0)
    assert "Score: 9/10." in card


def test_asked_for_the_average_the_average_comes_first(engine):
    _, text = ask(engine, "whats the average rating", watched=0)
    assert text.startswith("**Average 7.7/10** over the 3 reviews that give a score.")
    _, text = ask(engine, "which review liked it most", watched=0)
    assert text.splitlines()[1].startswith("Highest of the 3 scored: journey (9/10)")
    _, text = ask(engine, "what are the ratings", watched=0)  # the list, as /ratings gives it
    assert text.startswith("**newspaper**: 3/5 stars (6/10)")
    assert to_content(engine.ratings(Viewer()), title=False).startswith("**newspaper**")


def test_the_english_only_reply_needs_two_different_foreign_words_and_keeps_a_reason(engine):
    from bot.core.questions import _in_another_language

    # One word said twice, or English names and abbreviations, are not another language.
    assert not _in_another_language("does Mi-joo sing na na na in the karaoke scene?")
    assert not _in_another_language("who is Kay and who is Yang? what does ko mean")
    # A reply with a reason of its own keeps it.
    _, text = ask(engine, "who plays Mae-yi's boyfriend? sa ep 12 na")
    assert "English" not in text and "no review names who plays" in text


def test_the_closing_stages_are_the_closing_episodes(engine):
    """ "The most impressive element of its closing stages" asks what the newspaper found
    most impressive in the closing episodes: an element is a part, the stages episodes."""
    question = "What does the newspaper review call the most impressive element of Run On's closing stages?"  # fmt: skip
    reply, text = ask(engine, question, watched=16)
    assert reply.facts == ("ye-jun.coming-out-newspaper",), text
    reply, _ = ask(engine, question, watched=3)
    assert not reply.facts and reply.withheld == 1  # closing episodes: held back before them


def test_the_finale_named_by_its_place(engine):
    """ "The finale", "the last episode" name episode 16: "final" and "last" ask nothing of
    it, so how it ends is its story, not the fact that it is the final one to air."""
    reply, text = ask(engine, "how does the last episode end")
    assert "dan-ah-father.dies" in reply.facts and "series.last-air-date" not in reply.facts, text
    reply, _ = ask(engine, "what happens in the finale")
    assert reply.facts == ask(engine, "what happens in episode 16")[0].facts
    reply, text = ask(engine, "when did the last episode air")
    assert "4 February 2021" in text
    # "at the end of episode 12" still reads "end" as what happens last in it.
    reply, _ = ask(engine, "what happens at the end of episode 12", watched=12)
    assert reply.facts == ("event.ep12-cliffhanger",)


def test_someone_in_an_episode_is_their_part_of_it(engine):
    """ "What happens to Dan-ah's dad in the finale": the episode's facts about him, not
    the whole episode card. Whether it is his facts or the card is decided by what the
    reader may see: before the episode, the card, as for anyone with nothing there."""
    reply, text = ask(engine, "what happens to dan ah's dad in the finale")
    assert reply.facts == ("dan-ah-father.dies",), text
    card = ask(engine, "what happens in the finale", watched=3)[1]
    for who in ("dan ah's dad", "ji-woo", "je-wook"):  # facts in episode 16, and none
        assert ask(engine, f"what happens to {who} in the finale", watched=3)[1] == card
    at_12 = ask(engine, "what happens in episode 12", watched=12)[1]
    assert ask(engine, "what happens to ji-woo in episode 12", watched=12)[1] == at_12  # hers: past 12
    reply, _ = ask(engine, "What happens between Seon-gyeom and Mi-joo in episode 13?")
    assert reply.facts and all({"seon-gyeom", "mi-joo"} & set(engine.base.fact_by_id[f].about) for f in reply.facts)  # fmt: skip


def test_are_two_people_named_that_to_each_other(engine):
    """ "Are Young-hwa and Seon-gyeom roommates" asks whether the tie holds: the tie, not
    the card of whoever is Seon-gyeom's roommate; held back before it is known."""
    reply, text = ask(engine, "are young hwa and seon gyeom roommates")
    assert "Lee Young-hwa is Ki Seon-gyeom's roommate." in text and text.count("roommate") == 1, text
    _, text = ask(engine, "is dan ah young hwa's girlfriend")
    assert "Seo Dan-ah is Lee Young-hwa's girlfriend." in text
    reply, text = ask(engine, "are young hwa and seon gyeom roommates", watched=3)
    assert "roommate" not in text and reply.withheld == 1
    # A tie held back is as if there were none: "are Young-hwa and Seon-gyeom friends"
    # (friends from episode 16) reads at episode 3 as for two who never are.
    held, none = (ask(engine, f"are {a} and seon gyeom friends", watched=3)[0] for a in ("young hwa", "dan ah"))  # fmt: skip
    assert held.lines == none.lines and held.facts == none.facts
    # Asked about more than the tie, the question is read as before.
    reply, _ = ask(engine, "Is Dan-ah already Seon-gyeom's agent, or does someone try to recruit him into her agency?")  # fmt: skip
    assert "dong-kyung.recruiting" in reply.facts


def test_a_party_is_not_a_birthday(engine):
    """No review gives anyone's birthday: "when is Mi-joo's birthday" is not answered with
    the dinner party where she meets Seon-gyeom. Dan-ah's birthday party is still found."""
    for watched in (5, 16):
        reply, _ = ask(engine, "when is mi joos birthday lol", watched=watched)
        assert not reply.found and "event.dinner-party-meeting" not in reply.facts
    reply, _ = ask(engine, "what happens at dan-ah's bday")
    assert "dan-ah.birthday-party" in reply.facts
    reply, _ = ask(engine, "who throws a party for dan-ah")
    assert "dan-ah.birthday-party" in reply.facts


@pytest.mark.parametrize(("question", "fact"), [
    ("How does Mi-joo help Seon-gyeom change?", "seon-gyeom.emotional-growth"),
    ("What marks the end of Dan-ah and Young-hwa's contract?", "dan-ah.painting-delivered"),
    ("Does the show ever resolve Dan-ah's illness?", "dan-ah.illness"),
    ("What is revealed about Young-hwa's best friend near the end?", "ye-jun.gay"),
    ("How long was Mi-joo originally supposed to translate for Seon-gyeom?", "event.translator-hire"),
    ("Who is credited as the screenwriter of the series?", "series.screenwriter"),
    ("What genre label does the 'Full Review' blog give Run On?", "series.genre.romantic-drama"),
    # A set piece is a scene, and what a review singles out is what it says.
    ("What does the 3/5 review single out as one of the funniest set pieces of the series?", "dan-ah.party-flops"),
    ("what is mi-joo's attitude to romance", "mi-joo.distrusts-romance"),
    # Not suiting every viewer is not suiting everyone; summing up is saying.
    ("Why does the 9/10 reviewer think Run On may not suit every viewer?", "reception.journey.recommend"),
    ("How does the newspaper sum up the finale?", "reception.newspaper.pat-ending"),
    # Right away is at once.
    ("does young hwa like dan ah right away", "young-hwa.pursues-dan-ah"),
    # Whether it suits someone who likes something: who the show is for.
    ("is it good for people who like action", "reception.blog-full.who-should-watch"),
    ("would people like it", "reception.unhurried.not-for"),
    # Getting better, or being worth sticking with: whether it is worthwhile.
    ("does it get better?", "reception.newspaper.rewards"),
    ("is it worth sticking with", "reception.newspaper.rewards"),
    ("What does the 'Unhurriedly Strides' review say about Kang Tae-oh's approach to his roles?", "reception.unhurried.second-couple"),
])  # fmt: skip
def test_a_verb_that_only_frames_the_question_is_not_required(engine, question, fact):
    """ "Change", "mark", "resolve", "reveal", "supposed", "credited", "label", "attitude" and "approach" shade a question; a fact that answers
    the rest of it need not use them."""
    reply, _ = ask(engine, question)
    assert fact in reply.facts


def test_a_question_of_one_review_is_answered_from_it_or_not_at_all(engine):
    """Asked of one review, its fact that covers the most of the question and stands out
    answers it, as a question of known words would be ("avoids" is no word of the
    reviews). What a review says of a thing no fact knows is not known: not its record."""
    reply, _ = ask(engine, "Which tropes does the 9/10 reviewer say Run On avoids in its romances?", watched=0)  # fmt: skip
    assert reply.facts[:1] == ("reception.journey.no-tropes",)
    for question in ["what does the newspaper review say about the soundtrack", "what does herrera think of the OST",  # fmt: skip
                     "what does the 9/10 review say about the cinematography"]:
        reply, _ = ask(engine, question)
        assert not reply.found and not reply.facts, question
    reply, text = ask(engine, "what is the newspaper review's score expressed out of 10", watched=0)
    assert "3/5 stars (6/10)" in text


def test_a_numerical_score_is_a_score(engine):
    reply, text = ask(engine, "Does Kathleen Herrera's review put a numerical score on the show?", watched=0)  # fmt: skip
    assert "Score: no score" in text
    _, text = ask(engine, "how many reviews give a numerical score", watched=0)
    assert "3/5 stars (6/10)" in text and "8 out of 10 ramen" in text


def test_how_the_reviews_spell_a_name(engine):
    """Every way the reviews write a name, which review writes it so, and the dispute over
    that name (not over a friend's); a character met later stays held back."""
    _, text = ask(engine, "The reviews don't all spell the female lead's name the same way; what are the variants?", watched=0)  # fmt: skip
    assert "Mi-do (unhurried)" in text and "What is the female lead's name?" in text
    _, text = ask(engine, "which reviews spell it yeong-hwa", watched=0)
    assert "Yeong-hwa (newspaper, unhurried)" in text and "best friend" not in text
    _, text = ask(engine, "how is the male lead actor's name spelled differently across the reviews?", watched=0)  # fmt: skip
    assert "Im Shi Wan (blog-full, journey)" in text
    reply, text = ask(engine, "how do the reviews spell je-wook's name", watched=3)
    assert reply.withheld == 1 and text.startswith("1 fact past episode 3 held back")


def test_a_review_named_by_two_words_of_its_title(engine):
    """ "The closing-episodes review" is the newspaper's (its title ends "in its closing
    episodes"); "the run on review" names none, since every title has those words."""
    qa = engine._questions
    named = lambda q: qa._review_named(qa.content_of(qa.parse(q), set()), qa.parse(q).words)  # noqa: E731
    assert named("Which couple does the closing-episodes review find the more interesting pairing?") == "newspaper"  # fmt: skip
    assert named("what did the happy endings review think") == "newspaper"
    assert named("what does the run on review say") is None
    reply, _ = ask(engine, "Which couple does the closing-episodes review find the more interesting pairing?")  # fmt: skip
    assert reply.facts == ("reception.newspaper.second-couple",)


def test_a_word_made_from_a_fact_word_is_no_typo_for_it(engine):
    """ "characterise" is not corrected to "characters"; "episoeds" still is "episodes"."""
    assert engine.index.correct("characterise") == "characterise"
    assert engine.index.correct("episoeds") == "episodes"
    assert engine.index.correct("direced") == "directed"


def test_an_actors_character_asked_more_of_is_that_character(engine):
    """ "Kang Tae-oh's character's job" is Young-hwa's job; asked nothing more of them
    ("Choi Soo-young's character?", "... character's name"), who they play answers."""
    reply, _ = ask(engine, "what is kang tae-oh's character's job", watched=0)
    assert "young-hwa.student" in reply.facts
    _, text = ask(engine, "How does the 3/5 review spell the name of Choi Soo-young's character, compared with the others?", watched=0)  # fmt: skip
    assert "Dan-a (newspaper)" in text
    for question in ["Choi Soo-young's character?", "what is Im Si-wan's character's name"]:
        _, text = ask(engine, question, watched=0)
        assert " plays " in text, question


def test_a_relation_no_one_holds_is_answered_with_what_the_two_are(engine):
    """ "Is Mae Mi-joo's mom?": no one is Mi-joo's mother; Mae-yi's ties to her answer it.
    With only a tie held back between them, it is as if there were none."""
    reply, text = ask(engine, "is mae mi joos mom or what", watched=1)
    assert reply.found and "Park Mae-yi is Oh Mi-joo's landlady." in text
    held, _ = ask(engine, "is je-wook mae-yi's brother", watched=1)  # their tie comes in ep 16
    none, _ = ask(engine, "is ji-woo mi-joo's mom", watched=1)  # the two have no tie
    assert not held.found and held.lines == none.lines and held.withheld == none.withheld == 0


def test_someone_to_lean_on_is_someone_to_fall_back_on(engine):
    for question in ["Does Mi-joo have a family to lean on?", "does mi-joo have family to rely on"]:
        reply, _ = ask(engine, question, watched=4)
        assert reply.facts == ("mi-joo.background",), question
    # The folded phrase is no word a typo is corrected to ("callback" is not it).
    reply, _ = ask(engine, "no callback")
    assert not reply.found


def test_do_the_reviews_agree_with_no_dispute_is_what_each_says(engine):
    """No dispute is recorded over the genre: "do the reviews agree" gets each review's word."""
    reply, _ = ask(engine, "Do the reviews agree on which genre Run On belongs to?", watched=0)
    assert {"series.genre.journey", "series.genre.herrera", "series.genre.unhurried"} <= set(reply.facts)  # fmt: skip
    reply, _ = ask(engine, "do the reviews disagree about what kind of runner seon-gyeom is", watched=0)  # fmt: skip
    assert reply.fields and reply.fields[0].name.startswith("Reviews disagree")


def test_a_count_asked_for_is_no_score_and_full_review_names_the_blog(engine):
    """ "What three things did the 'Full Review' blogger dislike?": three is how many, not the
    newspaper's 3 stars, and "Full Review" before "reviewer" is the blog's title."""
    qa = engine._questions
    parsed = qa.parse("What three things did the 'Full Review' blogger dislike?")
    assert qa._review_named(qa.content_of(parsed, set()), parsed.words) == "blog-full"
    parsed = qa.parse("what did the 3 stars review dislike")
    assert qa._review_named(qa.content_of(parsed, set()), parsed.words) == "newspaper"
    reply, _ = ask(engine, "What three things did the 'Full Review' blogger dislike?")
    assert len(reply.facts) == 3 and all(f.startswith("reception.blog-full.") for f in reply.facts)


def test_the_askers_feelings_after_a_question_ask_nothing(engine):
    """ "why does he cry in ep 13, that scene wrecked me": the question is answered; a
    remark that names someone is still read with it."""
    reply, _ = ask(engine, "why does seon gyeom cry in ep 13, that scene wrecked me", watched=13)
    assert "event.ep13-tears" in reply.facts
    alone, _ = ask(engine, "who plays mi-joo", watched=0)
    reply, _ = ask(engine, "who plays mi-joo, i love her", watched=0)
    assert reply.lines == alone.lines


def test_what_is_the_noun_asks_for_that_noun(engine):
    """ "What were the ratings like in Korea" asks for ratings: the one fact about Korea
    (ramen) is no answer. "The title of the film" likewise; a kind of fact ("the main
    theme") may be answered by facts of that kind."""
    for question in ["what were the ratings like in korea", "What is the title of the film that premieres in the final scene?"]:  # fmt: skip
        reply, _ = ask(engine, question)
        assert not reply.found, question
    reply, _ = ask(engine, "what is the main theme of run on", watched=0)
    assert reply.facts and all(f.startswith("theme.") for f in reply.facts)


def test_the_least_enthusiastic_review_is_the_lowest_scored(engine):
    for question in ["Which review gives the least enthusiastic score, and what is it?", "which review is the most positive"]:  # fmt: skip
        _, text = ask(engine, question, watched=0)
        assert "lowest: newspaper (6/10)" in text, question
    _, text = ask(engine, "The 'Unhurriedly Strides' review has a ratings box; what overall rating does it actually give?", watched=0)  # fmt: skip
    assert "Score: no score" in text


def test_the_five_reviews_are_all_of_them(engine):
    """ "How many of the five reviews commit to a score": the scores side by side (five is
    how many reviews there are, not a score asked about)."""
    for question in ["How many of the five reviews actually commit to a numerical score?", "how many of the five reviews give a score"]:  # fmt: skip
        _, text = ask(engine, question, watched=0)
        assert "3/5 stars (6/10)" in text and "9/10" in text, question


def test_review_of_the_readings_of_2026_12_02(engine):
    """From an independent review of this session's readings: each case once went wrong."""
    # A name reached through a relation is no spelling question: a later boyfriend's
    # name is not shown untagged (nor whether there is one).
    for question, watched in [("how do you spell Mi-joo's boyfriend's name", 12), ("how do you spell Ye-jun's partner's name", 16),  # fmt: skip
                              ("how do you spell Mi-joo's tenant's name", 16)]:  # fmt: skip
        reply = engine.ask(question, Viewer(progress=watched))
        text = to_content(reply, title=False)
        assert "Besides" not in text and "one way only" not in text, question
    # "Variants" of something else, and "spell out", ask no spelling; an unnamed person
    # has no name to spell.
    for question in ["what are the variants of Dan-ah's job", "how do the reviews spell out Dan-ah's feelings"]:
        _, text = ask(engine, question)
        assert "Also written as" not in text, question
    reply, text = ask(engine, "how do the reviews spell Seon-gyeom's father")
    assert not reply.found and "one way only" not in text
    _, text = ask(engine, "what are the name variants for ye-jun", watched=0)
    assert "Go Ye Joon (journey)" in text
    # Whoever holds the relation asked of has not come yet: the two's visible ties, as
    # when no one holds it, and the held-back one counted.
    boyfriend, _ = ask(engine, "is Seon-gyeom Mi-joo's boyfriend?", watched=3)
    brother, _ = ask(engine, "is Seon-gyeom Mi-joo's brother?", watched=3)
    assert boyfriend.lines[:2] == brother.lines[:2] and "friend." in boyfriend.lines[0][0].text
    # The loose match shows a visible fact only if the reader may see every word's fact:
    # "birthday" is a word of Dan-ah's later party alone.
    reply, _ = ask(engine, "does Mi-joo have a birthday party", watched=3)
    assert not reply.found
    # "It" after a question about an episode is that episode, not the show.
    _, text = ask(engine, "what happens in the last episode of the show and when does it air")
    assert "4 February 2021" in text and "16 December 2020" not in text
    # "Characterisation" is no light word ("characterise" had made it one).
    reply, _ = ask(engine, "what do the reviews say about the characterisation")
    assert not reply.found


def test_scores_asked_for_in_other_words(engine):
    """ "Each review's score out of 10", "average the numeric scores": the scores side by
    side; "what does the 8/10 blog measure its score in": its record (ramen)."""
    _, text = ask(engine, "Give me each review's score out of 10.", watched=0)
    assert "3/5 stars (6/10)" in text and "8 out of 10 ramen" in text
    _, text = ask(engine, "Average the numeric review scores out of 10 for me.", watched=0)
    assert "Average 7.7/10" in text
    _, text = ask(engine, "What does the 8/10 blog measure its score in?", watched=0)
    assert "8 out of 10 ramen" in text


@pytest.mark.parametrize(("question", "fact"), [
    ("What nights of the week did it air in Korea?", "series.schedule"),
    ("what goes wrong at Dan-ah's surprise birthday party?", "dan-ah.birthday-party"),
])  # fmt: skip
def test_nights_are_days_and_going_wrong_is_happening(engine, question, fact):
    reply, _ = ask(engine, question)
    assert fact in reply.facts


def test_second_review_of_the_readings_of_2026_12_02(engine):
    """From a second independent review: each case once went wrong."""
    public = lambda q, watched=16: to_content(engine.ask(q, Viewer(progress=watched)), title=False)  # noqa: E731
    # Someone who comes later is story: their name and summary are tagged in public, as
    # is the summary of whoever a later tie names ("who is Mi-joo's boyfriend").
    assert public("is Mi-joo Mae-yi's boyfriend?").startswith("||ep 16: Je-wook: ")
    assert "\nA runner on the national team" not in public("who is Mi-joo's boyfriend?")
    # Spelling someone named through a tie: spelled when the tie is the premise; else
    # who they are, tagged, as "what is his name" answers.
    assert "Besides **Park Mae-yi**" in public("how do you spell Mi-joo's roommate's name", 0)
    assert public("how do you spell Mi-joo's boyfriend's name", 12).startswith("||ep 12: Ki Seon-gyeom")
    assert "Besides **Shin Se-kyung**" in public("how is Mi-joo's actress's name spelled", 0)
    assert "Besides **Oh Mi-joo**" in public("how do the reviews spell Mi-joo's surname", 0)
    # "The show's ending" is the show's: the "it" after it is the show.
    assert "Lee Jae-hoon" in public("what is the show's ending? who directed it?")
    assert "happily" in public("what is the show's ending? who directed it?")
    # A holder who is one of the two is counted once.
    boyfriend, brother = (engine.ask(q, Viewer(progress=3)) for q in ["is Seon-gyeom Mi-joo's boyfriend?", "is Seon-gyeom Mi-joo's brother?"])  # fmt: skip
    assert boyfriend.withheld == brother.withheld
    # A light verb beside a common word: what the rest asks ("Dan-ah's relationship"); and
    # "near the end" is no "nearly his whole life".
    assert "dan-ah.tries-to-end" in engine.ask("how does Dan-ah's relationship change", Viewer(progress=16)).facts  # fmt: skip
    assert "seon-gyeom.athlete" not in engine.ask("what is revealed about Seon-gyeom near the end", Viewer(progress=16)).facts  # fmt: skip


def test_third_review_of_the_readings_of_2026_12_02(engine):
    """From a third independent review: each case once went wrong."""
    public = lambda q, watched=16: to_content(engine.ask(q, Viewer(progress=watched)), title=False)  # noqa: E731
    # A later character's spellings, family name and card are story: tagged in public.
    assert public("how do the reviews spell Je Wook?").startswith("||ep 16: Besides Je-wook")
    assert public("what is Je Wook's surname").startswith("||ep 16: ")
    card = to_content(engine.character("Je Wok", Viewer(progress=16)))
    assert "\nA minor character" not in card and "\nJe Wook (blog-full)" not in card
    # A near miss never offers the name of someone the reader has not met.
    assert "Je-wook" not in to_content(engine.character("Jewo", Viewer(progress=0)))
    # "Near the end" asks about the end ("near" is light); first/last only before "name".
    assert engine.ask("does Seo Dan-ah die near the end", Viewer(progress=16)).found
    for question in ["what are the variants of Dan-ah's first job", "what are the variants of Mi-joo's roommate's company name"]:  # fmt: skip
        assert "Also written as" not in public(question), question
    assert "Besides **Oh Mi-joo**" in public("how do you spell mi-joo's first name", 0)


def test_a_later_characters_name_is_not_put_in_a_title(engine):
    """From a fourth review: an embed title cannot hold a spoiler tag, so /character and
    /plot for someone who comes later title the reply with what the reader typed, not the
    name a typo was matched to; a premise character keeps their full name."""
    for watched in (0, 16):
        viewer = Viewer(progress=watched)
        assert engine.character("jewok", viewer).title == "jewok"
        assert engine.plot(viewer, "jewok").title == "Plot: jewok"
        assert engine.character("mijoo", viewer).title == "Oh Mi-joo"


def test_an_unknown_name_reply_is_as_private_as_the_reader_asked(engine):
    assert engine.character("zzqx", Viewer(private=True)).private
    assert not engine.character("zzqx", Viewer()).private


@pytest.mark.parametrize(("question", "plain"), [
    ("Who does the newspaper say plays Mi-joo?", "Who plays Mi-joo, according to the newspaper review?"),
    ("Who does the 9/10 reviewer say this drama is especially for?", "Who this drama is especially for, according to the 9/10 reviewer?"),  # fmt: skip
    ("Which actor does the blog think is right for Seon-gyeom?", "Which actor is right for Seon-gyeom, according to the blog review?"),  # fmt: skip
])
def test_a_claim_asked_of_a_review_is_the_clause_after_say(engine, question, plain):
    """ "Who does the newspaper say plays Mi-joo?" asks who plays her, of the newspaper: the
    "who" is not a question about the review's author."""
    assert engine._questions._claim_asked(question) == plain
    reply, text = ask(engine, question, watched=0)
    assert reply.found and "names no author" not in text


@pytest.mark.parametrize("question", [
    "What does the newspaper say about the ending?",  # what it says is asked
    "What does Mi-joo say she wants?",  # a character, not a review
    "Who does Seon-gyeom think is to blame?",
])
def test_what_a_review_says_about_something_is_left_as_asked(engine, question):
    assert engine._questions._claim_asked(question) == question


def test_who_a_review_says_plays_someone_is_the_cast(engine):
    reply, text = ask(engine, "Who does the newspaper say plays Mi-joo?", watched=0)
    assert "Shin Se-kyung" in text and reply.withheld == 0


@pytest.mark.parametrize("question", [
    "who is the drama for?", "who is this show for?", "who is it mainly for?",
    "who is the show's target audience?", "Who does the journey review say the show is for?",
])
def test_who_the_show_is_for_in_other_words(engine, question):
    reply, _ = ask(engine, question, watched=0)
    assert "reception.journey.recommend" in reply.facts


def test_the_end_of_his_life_is_his_dying_not_the_ending(engine):
    reply, _ = ask(engine, "what happens at the end of his life, dan-ah's dad")
    assert "dan-ah-father.deathbed" in reply.facts
    assert not ask(engine, "what happens at the end of his life, dan-ah's dad", watched=0)[0].facts


@pytest.mark.parametrize("question", [
    "would someone who loves big conflicts and constant plot twists enjoy it?",
    "I mostly want action and lots of laughs. Is this a good pick for me?",
])
def test_what_the_asker_likes_ranks_whom_the_show_suits(engine, question):
    """What the asker likes need not be said by a fact: whom the show suits is asked."""
    reply, _ = ask(engine, question, watched=0)
    assert reply.found and {f.split(".")[0] for f in reply.facts} == {"reception"}


def test_a_review_named_by_its_score_is_asked_about_its_title_words(engine):
    """ "What did the 3/5 review think of the ending?": the newspaper's title says "endings",
    but the score named the review, so the ending is what is asked: its view of it."""
    reply, text = ask(engine, "what did the 3/5 review think of the ending?")
    assert "Score:" not in text
    assert "reception.newspaper.pat-ending" in reply.facts


@pytest.mark.parametrize(("question", "fact"), [
    ("Which review compares the ramen invitation to 'Netflix and chill'?", "comparison.netflix-and-chill"),
    ("the Unhurriedly Strides review compares Run On to what kind of friend?", "reception.unhurried.chatty-friend"),
])
def test_comparing_is_likening_and_an_invitation_an_offer(engine, question, fact):
    assert fact in ask(engine, question)[0].facts


@pytest.mark.parametrize("question", [
    "What's Mae's full name in the ramen blog?", "what is Mae's full name according to the blog?",
    "What's Mae's full name in the reviews?",
])
def test_a_full_name_asked_of_a_review_is_the_full_name(engine, question):
    assert "Park Mae-yi" in ask(engine, question, watched=0)[1]


def test_whether_he_approves_is_answered_by_his_disapproval(engine):
    assert "event.father-disapproves" in ask(engine, "Does Seon-gyeom's father approve of Mi-joo?")[0].facts
    assert not ask(engine, "Does Seon-gyeom's father approve of Mi-joo?", watched=6)[0].facts


TIES = {"Mi-joo's boyfriend": ("Seon-gyeom", "Im Si-wan"), "Seon-gyeom's girlfriend": ("Mi-joo", "Shin Se-kyung")}  # fmt: skip


@pytest.mark.parametrize("tie", TIES)
@pytest.mark.parametrize("asked", [
    "what does {} do?", "what does the journey review say about {}?", "what is {}'s name?",
    "what is {} like, according to the newspaper?", "where does {} live?",
])
def test_what_is_said_of_someone_reached_through_a_later_tie_is_tagged(engine, tie, asked):
    """From a fifth review: "what does Mi-joo's boyfriend do" at episode 12, in public,
    answered with Seon-gyeom's premise facts in plain text, which named him her boyfriend."""
    reply = engine.ask(asked.format(tie), Viewer(progress=12))
    plain = [s.text for ln in reply.lines for s in ln if not s.spoiler]
    plain += [f.name for f in reply.fields] + [s.text for f in reply.fields for ln in f.lines for s in ln if not s.spoiler]  # fmt: skip
    assert not [t for t in plain if any(name in t for name in TIES[tie])]


def test_who_dates_her_according_to_a_review_is_who_dates_her(engine):
    reply = engine.ask("Who does the journey review say dates Mi-joo?", Viewer(progress=12))
    assert reply.lines[0][0].spoiler == "ep 12" and "Seon-gyeom" in reply.lines[0][0].text


YE_JUN_NAMES = ("Ye-jun", "Ye Joon", "Kim Dong-young", "Kwon Young Il")


@pytest.mark.parametrize("question", [
    "who plays the gay friend?", "what does the blog say about the gay friend?",
])
def test_someone_described_in_words_only_the_story_uses_is_tagged(engine, question):
    """From a review of the spoiler rules: "who plays the gay friend?" at episode 16, in
    public, answered with the plain cast line for Ye-jun (and the blog's names for him),
    which told who comes out; the words are the story's, so what answers them is tagged."""
    reply = engine.ask(question, Viewer(progress=16))
    plain = [s.text for ln in reply.lines for s in ln if not s.spoiler]
    plain += [f.name for f in reply.fields] + [s.text for f in reply.fields for ln in f.lines for s in ln if not s.spoiler]  # fmt: skip
    assert reply.facts and not [t for t in plain if any(name in t for name in YE_JUN_NAMES)]
    # Asked in words the premise uses, the same cast line stays plain.
    told = engine.ask("who plays Young-hwa's best friend?", Viewer(progress=16))
    assert any("Kim Dong-young" in s.text and not s.spoiler for ln in told.lines for s in ln)


@pytest.mark.parametrize(("question", "fact"), [
    ("What Western expression does the 3/5 review liken the ramen invitation to?", "comparison.netflix-and-chill"),  # fmt: skip
    ("what family trip helps Ye-jun's mother accept him?", "ye-jun.camping"),
    ("what kind of excursion does ye-jun's family go on?", "ye-jun.camping"),
])
def test_an_expression_is_a_phrase_and_an_excursion_a_trip(engine, question, fact):
    assert ask(engine, question)[0].facts[:1] == (fact,)


@pytest.mark.parametrize("question", ["Does Ye-jun's mother ever come around?", "does ye jun's mom come round to him in the end?"])  # fmt: skip
def test_coming_round_is_accepting(engine, question):
    assert "ye-jun.camping" in ask(engine, question)[0].facts


@pytest.mark.parametrize(("question", "fact"), [
    ("How long is an episode, according to the review that lists a duration?", "series.runtime"),
    ("Which genres does the 9/10 review list in its details box?", "series.genre.journey"),
])
def test_what_a_review_lists_in_its_details_box_is_what_it_says(engine, question, fact):
    """ "lists" asks nothing a fact has to say, and a review's box is the review."""
    assert fact in ask(engine, question, watched=0)[0].facts


def test_a_question_after_a_question_mark_may_start_with_and(engine):
    """From a reader set: "who wrote run on? and who directed it" was read as one question
    and answered with Mi-joo's subtitles ("writes")."""
    _, text = ask(engine, "who wrote run on? and who directed it", watched=0)
    assert "**who directed it?**" in text and "Park Shi-hyun" in text and "Lee Jae-hoon" in text
    _, text = ask(engine, "who plays mi-joo? and also who plays dan-ah?", watched=0)
    assert "Shin Se-kyung" in text and "Choi Soo-young" in text


@pytest.mark.parametrize("question", ["what didn't the blog like", "what didnt the 8/10 reviewer like", "What didn't the 'Full Review' blogger like?"])  # fmt: skip
def test_what_a_review_did_not_like_is_what_it_disliked(engine, question):
    """From a reader set: "what didn't the blog like" was answered with what it praised,
    "didn't ... like" being read only when the two words touch."""
    reply, _ = ask(engine, question)
    assert "reception.blog-full.family-resolution" in reply.facts
    assert "reception.blog-full.realistic" not in reply.facts


@pytest.mark.parametrize(("question", "watched", "fact"), [
    # Asked without a question word, then a remark: the episode is asked of on its own.
    ("recap ep 13 for me, i fell asleep", 13, "event.ep13-tears"),
    ("what happens in ep 13, i fell asleep", 13, "event.ep13-tears"),
    # "bestie" is a best friend in the words searched too, not only as a tie.
    ("how does young hwa react when his bestie confesses to him", 16, "ye-jun.confesses-journey"),
    # "is run on for me": whom the show suits; what the asker likes ranks the answers.
    ("is run on for me", 0, "reception.unhurried.not-for"),
    ("i mostly like action packed stuff, is run on for me", 0, "reception.blog-full.who-should-watch"),
])
def test_readings_from_the_fresh_reader_set(engine, question, watched, fact):
    assert fact in ask(engine, question, watched=watched)[0].facts


@pytest.mark.parametrize("question", ["what did the 3 star review think of the breakup", "the 3 star review, what did it think of the breakup"])  # fmt: skip
def test_what_a_review_thinks_of_something_is_its_view_before_its_account(engine, question):
    """From a reader set: the newspaper's account of the break-ups stood in for its view
    of them (a "headscratcher")."""
    assert ask(engine, question)[0].facts[:1] == ("reception.newspaper.rupture",)


@pytest.mark.parametrize(("question", "fact"), [
    ("the 3/5 one - what did it think of the ending?", "reception.newspaper.pat-ending"),
    ("what did the 3 star one dislike?", "reception.newspaper.rupture"),
])
def test_a_review_named_by_its_score_and_one(engine, question, fact):
    """ "the 3/5 one": a score, then "one", names a review as "the 3/5 review" does."""
    assert fact in ask(engine, question)[0].facts


def test_a_sentence_saying_how_far_the_reader_is_is_no_part_of_the_question(engine):
    """From a reader set: "Just finished ep 13. Did Seon-gyeom and Mi-joo really just break
    up?" at 13 was read whole, "finished" asking about the ending: all held back."""
    reply, _ = ask(engine, "Just finished ep 13. Did Seon-gyeom and Mi-joo really just break up?", watched=13)  # fmt: skip
    assert "event.ep13-breakup" in reply.facts and not reply.withheld
    # Past the reader's progress it is no remark: nothing of episode 13 is shown at 12.
    reply, _ = ask(engine, "Just finished ep 13. Did Seon-gyeom and Mi-joo really just break up?", watched=12)  # fmt: skip
    assert "event.ep13-breakup" not in reply.facts


@pytest.mark.parametrize("question", ["Is Im Si-wan any good in the lead role?", "is im si-wan good?"])
def test_whether_an_actor_is_any_good_is_what_the_reviews_say_of_the_acting(engine, question):
    """From a reader set: "Is Im Si-wan any good in the lead role?" was answered with whom
    he plays, and "is im si-wan good?" with "I don't know"."""
    assert "reception.blog-full.leads" in ask(engine, question, watched=0)[0].facts


@pytest.mark.parametrize("question", [
    "who plays the gay best friend?", "who plays the friend who comes out?",
    "who plays the best friend who confesses?", "who plays the lgbtq best friend",
    "who plays the teammate who gets surgery",
])
@pytest.mark.parametrize("watched", [0, 4, 12, 13, 16])
def test_no_premise_line_answers_a_question_in_the_storys_words_in_plain_text(engine, question, watched):
    """From a second review of the spoiler rules: at 0-13 the plain cast line alone answered
    "who plays the gay best friend?" (the story words matched only held-back facts), and at
    16 "who plays the teammate who gets surgery" with Woo-sik's, in public."""
    reply = engine.ask(question, Viewer(progress=watched))
    plain = [s.text for ln in reply.lines for s in ln if not s.spoiler]
    plain += [f.name for f in reply.fields] + [s.text for f in reply.fields for ln in f.lines for s in ln if not s.spoiler]  # fmt: skip
    assert not [t for t in plain if " plays " in t or any(name in t for name in (*YE_JUN_NAMES, "Woo-sik"))]


@pytest.mark.parametrize("watched", [0, 12, 16])
def test_a_review_title_that_tells_the_ending_is_gated(engine, watched):
    """From a second review of the spoiler rules: the newspaper's title ("... finds happy
    endings in its closing episodes") was a field name of /reviews, never tagged, and the
    first line of its card at progress 0."""
    for reply in (engine.reviews(Viewer(progress=watched)), engine.ask("what is the newspaper review called?", Viewer(progress=watched))):  # fmt: skip
        spans = [s for ln in reply.lines for s in ln] + [s for f in reply.fields for ln in f.lines for s in ln]  # fmt: skip
        told = [s for s in spans if "happy endings" in s.text]
        assert not any("happy endings" in f.name for f in reply.fields)
        assert all(s.spoiler == "ep 16" for s in told) and bool(told) == (watched == 16)


@pytest.mark.parametrize("question", ["mae n mijoo r they family or wat", "are mae and mijoo family?"])
def test_whether_two_people_are_family_is_what_they_are_to_each_other(engine, question):
    """From a reader set: answered with "Mi-joo has no family", not with what Mae-yi is to her."""
    _, text = ask(engine, question, watched=3)
    assert "Mi-joo's landlady" in text and "mentor" in text

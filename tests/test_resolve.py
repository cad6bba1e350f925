"""Speaker resolution on invented articles: one feature per row, with the cases it must not take."""

from __future__ import annotations

import hand_docs
import pytest
from spacy.tokens import Doc, Span

from onrecord import extract
from onrecord.model import Article, Quote
from onrecord.nlp.model import shared_model
from onrecord.resolve.entities import build_entities
from onrecord.resolve.names import abbreviates
from onrecord.resolve.speakers import SpeakerResolver


def quote_with(article: Article, phrase: str) -> Quote:
    found = [q for q in article.quotes if phrase in q.content_text]
    assert found, [q.content_text for q in article.quotes]
    return found[0]


def speaker_of(text: str, phrase: str) -> str | None:
    quote = quote_with(extract(text, clean=False), phrase)
    return quote.speaker.name if quote.speaker else None


@pytest.mark.parametrize(
    ("text", "phrase", "speaker"),
    [
        pytest.param(
            "The Coastal Shipping Association published its figures on Monday. "
            "CSA said that freight volumes had doubled.",
            "freight volumes",
            "Coastal Shipping Association",
            id="acronym-joins-organisation",
        ),
        pytest.param(
            '"It is a bargain," one shopper told us. Another, Mira Patel, disagreed: "It is too pricey."',
            "too pricey",
            "Mira Patel",
            id="a-name-in-apposition-to-another",
        ),
        pytest.param(
            "The mayor, who asked not to be named, said the ferry would return in May.",
            "ferry would return",
            "The mayor",
            id="an-unnamed-source-without-its-comma",
        ),
        pytest.param(
            "Harbour Conference Guide\n\nThe city hosts many events each year.\n\n"
            "\u201cPortside\u2019s mix of easy access and large venues also helps you turn conference "
            "time into results. You can meet regional providers and find local talent.\u201d "
            "\u2013 Tom Reyes, Founder & President, Harbour Consulting\n\nThe next event opens in March.",
            "easy access",
            "Tom Reyes",
            id="a-title-and-a-body-after-a-name-are-no-group",
        ),
        pytest.param(
            "Five essays\n\n1. Things You Should Never Do (2000) by Ben Lutz\n\nEarly in my career, I "
            "fell into the trap Ben Lutz describes. As Ben writes: \u201cThat two-page function is full "
            "of bug fixes.\u201d\n\n2. The Ben Test (2000) by Ben Lutz\n\nThe Ben Test is one of those. "
            "I\u2019ve used the Ben Test in every team I\u2019ve joined.",
            "bug fixes",
            "Ben Lutz",
            id="a-thing-named-after-someone-is-not-a-person",
        ),
        pytest.param(
            "Ten essays\n\n4. The Majestic Monolith (2016) by Ana Maria Ortiz (AMO)\n\nAMO argues that "
            "microservice architectures make sense for huge companies.",
            "microservice",
            "Ana Maria Ortiz",
            id="a-person-s-initials-are-the-person",
        ),
        pytest.param(
            '"We are not done," said Air Force 1st Lt. Mira Patel, a pilot.',
            "not done",
            "Mira Patel",
            id="an-abbreviated-rank-before-a-name",
        ),
        pytest.param(
            "Mr Reyes, 62, denies the charges. His solicitor said he would plead not guilty.",
            "plead not guilty",
            "His solicitor",
            id="someone-who-speaks-for-a-person-is-not-that-person",
        ),
        pytest.param(
            "A retired teacher named Ana Ortiz said the school had changed beyond recognition.",
            "school had changed",
            "Ana Ortiz",
            id="a-noun-named-in-a-clause",
        ),
        pytest.param(
            "A man identified as Ben Lutz told police he had seen the car.",
            "seen the car",
            "Ben Lutz",
            id="a-noun-identified-as-a-name",
        ),
        pytest.param(
            "A count by the Harbour Post, published on Monday, said 40 ferries had been cancelled.",
            "ferries had been cancelled",
            "Harbour Post",
            id="a-count-speaks-for-whoever-made-it",
        ),
        pytest.param(
            'Tom Reyes said he would run. "Count me in," the 54-year-old said.',
            "Count me in",
            "Tom Reyes",
            id="an-age-after-the-quotation",
        ),
        pytest.param(
            "Ray Cole Sr. opened the mill and his son Ray Cole Jr. now runs it. "
            '"We will hire in May," Cole Jr. said.',
            "hire in May",
            "Ray Cole Jr.",
            id="a-surname-with-its-suffix",
        ),
        pytest.param(
            "Ben Lutz has run a long race against Ana Ortiz. He and other Ortiz challengers said the "
            'debates were "far too few."',
            "far too few",
            "Ben Lutz",
            id="a-pronoun-joined-to-people-not-named",
        ),
        pytest.param(
            "Senator Maria Lopez spoke in Leeds. Her campaign said that the rally drew 4,000 people.",
            "rally drew",
            "Lopez campaign",
            id="owned-organisation",
        ),
        pytest.param(
            "Tom Reyes, Ana Ortiz and Lena Park said that the budget was too small.",
            "budget was too small",
            "Tom Reyes, Ana Ortiz and Lena Park",
            id="coordinated-group",
        ),
        pytest.param(
            "Robert Hale and Clara Hale run the bakery on Mill Street. "
            "Hale says she will keep the shop open on Sundays.",
            "keep the shop open",
            "Clara Hale",
            id="shared-surname-follows-the-pronoun",
        ),
        pytest.param(
            "Robert Hale and Clara Hale run the bakery on Mill Street. "
            "Hale says he will keep the shop open on Sundays.",
            "keep the shop open",
            "Robert Hale",
            id="shared-surname-follows-the-pronoun-male",
        ),
        pytest.param(
            "Daniel Price met Sarah Quinn at the station. The woman said that the trains were late.",
            "trains were late",
            "Sarah Quinn",
            id="gendered-noun",
        ),
        pytest.param(
            "Daniel Price met Sarah Quinn at the station. She said that the trains were late.",
            "trains were late",
            "Sarah Quinn",
            id="pronoun-gender-from-first-name",
        ),
        pytest.param(
            "Many residents share these worries, but the Northern and Western Harbour Alliance, "
            "which represents 300 fishing crews, said that it would stay neutral.",
            "stay neutral",
            "Northern and Western Harbour Alliance",
            id="organisation-name-the-tagger-missed",
        ),
        pytest.param(
            "Democrats praised the bill. Republicans on the House Budget Committee said that the "
            "plan would cost too much.",
            "cost too much",
            "Republicans on the House Budget Committee",
            id="group-narrowed-by-a-phrase",
        ),
        pytest.param(
            "The Securities and Exchange Commission opened an inquiry in May. "
            "The S.E.C. said that it would publish its findings.",
            "publish its findings",
            "Securities and Exchange Commission",
            id="dotted-acronym-with-article",
        ),
        pytest.param(
            # the parser hangs "reported" on "turned" (advcl), not on the name (relcl)
            "To check the claim, reporters called the Leeds Harbour Authority which reported "
            "\u201c1,874 late sailings\u201d at the port from March to October.",
            "late sailings",
            "Leeds Harbour Authority",
            id="relative-pronoun-after-a-name",
        ),
        pytest.param(
            "The Harbour Times sent a reporter to the depot on Monday. "
            "The article said that the ferry would stop running in May.",
            "stop running",
            "Harbour Times",
            id="article-is-its-outlet",
        ),
        pytest.param(
            "Samuel Okafor visited the port on Monday. A chart from a briefing that Mr. Okafor "
            "gives to investors says that freight doubled. Another chart says that fares will fall.",
            "fares will fall",
            "Samuel Okafor",
            id="document-author-then-another-of-the-same",
        ),
        pytest.param(
            "Elena Duarte spoke on Monday. A study by the Coastal Shipping Association found that "
            "freight volumes had doubled.",
            "freight volumes",
            "Coastal Shipping Association",
            id="document-by-its-author",
        ),
        pytest.param(
            "The Harbour Gazette reported on Monday that ferry fares would rise. The influential "
            "local daily said that the council had known for months.",
            "council had known",
            "Harbour Gazette",
            id="the-daily-is-the-newspaper-named-before",
        ),
        pytest.param(
            "The Harbour Gazette broke the story on Monday. The influential daily said the ferry would stay.",
            "ferry would stay",
            "Harbour Gazette",
            id="the-daily-is-a-newspaper-the-tagger-missed",
        ),
        pytest.param(
            "New research from harbourLAB, based on a survey of 300 captains, found that freight "
            "volumes had doubled.",
            "freight volumes",
            "harbourLAB",
            id="document-from-an-untagged-maker",
        ),
        pytest.param(
            "New research from the Coastal Shipping Institute, based on a survey of 300 captains, "
            "found that freight volumes had doubled.",
            "freight volumes",
            "Coastal Shipping Institute",
            id="document-from-its-maker",
        ),
        pytest.param(
            "Retired General Says Harbour Plan Will Fail, Warns Duarte.\n\n"
            "Retired Army Gen. Samuel Okafor spoke in Dover on Monday about the plan of Elena "
            "Duarte.",
            "Harbour Plan",
            "Samuel Okafor",
            id="headline-role-is-the-person-introduced-below",
        ),
        pytest.param(
            "As its makers intend, Sparkle, the phone app for meeting people, can offer many "
            "things: dates, friends and entertainment. Mira Patel used the app to campaign for Ben "
            "Lutz. "
            + " ".join(
                f"Patel sent message number {i} to a man in Dover, and he read it." for i in range(1, 25)
            )
            + " Some of the recipients complained, Patel said. Sparkle suspended her account on "
            "Thursday; it said that the messages were spam.",
            "messages were spam",
            "Sparkle",
            id="an-organisations-name-the-tagger-missed-is-in-view-for-it",
        ),
        pytest.param(
            "Ana Ortiz won the final in Dover on Sunday. The 28-year-old said that the wind had helped her.",
            "wind had helped",
            "Ana Ortiz",
            id="the-28-year-old-is-the-person-in-view",
        ),
        pytest.param(
            "Ana Ortiz, 28, won the final in Dover on Sunday, beating Ben Lutz, 31. The 31-year-old "
            "said that the wind had not helped.",
            "wind had not helped",
            "Ben Lutz",
            id="the-31-year-old-is-the-one-the-article-gives-that-age",
        ),
        pytest.param(
            "Ana Ortiz, an email adviser, spoke in Dover on Monday. Ben Lutz, another email adviser, "
            "spoke in Kent. The emails said that the ferry was late.",
            "ferry was late",
            "emails",
            id="only-a-person-noun-is-the-people-described-so",
        ),
        pytest.param(
            "As Its Rivals Merge, Will Kelvra Be Next?\n\nKelvra, the ferry booking app, has lost "
            "users this year. Kelvra said that it would not sell the business.",
            "would not sell",
            "Kelvra",
            id="a-name-in-a-headline-does-not-open-with-a-modal",
        ),
        pytest.param(
            "As its makers intend, Sparkle, the phone app for meeting people, can offer many things: "
            "dates, friends and entertainment. Many Sparkle workers said that the pay was too low.",
            "pay was too low",
            "Sparkle workers",
            id="an-organisations-name-before-a-noun-is-no-mention-of-it",
        ),
        pytest.param(
            "Sen. Ben Lutz arrived in Dover on Monday. Rep. Ana Ortiz met him at the harbour. "
            "The senator said that the plan would fail.",
            "plan would fail",
            "Ben Lutz",
            id="the-senator-is-the-one-described-as-a-senator-not-a-representative",
        ),
        pytest.param(
            "Ben Lutz arrived in Dover on Monday. Rep. Ana Ortiz met him at the harbour and said "
            "the ferry was late. The senator said that the plan would fail.",
            "plan would fail",
            "Ben Lutz",
            id="the-senator-is-never-one-described-as-holding-another-office",
        ),
        pytest.param(
            "Sen. Ben Lutz arrived in Dover on Monday. Rep. Ana Ortiz met him at the harbour. "
            "The lawmaker said that the plan would fail.",
            "plan would fail",
            "Ana Ortiz",
            id="the-lawmaker-may-be-either",
        ),
        pytest.param(
            "Senator Ana Ortiz spoke in Dover on Monday. Senator Ben Lutz spoke in Kent. Mayor Tom "
            "Reyes stayed home. Both senators said that the ferry should be free.",
            "ferry should be free",
            "Ana Ortiz and Ben Lutz",
            id="both-senators-are-the-two-described-so-not-the-last-two-named",
        ),
        pytest.param(
            "Ana Ortiz, a candidate for mayor, spoke in Dover on Monday. Ben Lutz, also a candidate, "
            "spoke in Kent. The candidates said that the ferry should be free.",
            "ferry should be free",
            "Ana Ortiz and Ben Lutz",
            id="the-candidates-are-those-described-so",
        ),
        pytest.param(
            "Lutz Says He Never Pledged To Ban Ferry Crews Of Rivals.\n\n"
            "Ben Lutz spoke in Dover on Monday. Lutz said that the harbour would stay open.",
            "Never Pledged",
            "Ben Lutz",
            id="a-name-in-a-headline-ends-before-its-verb",
        ),
        pytest.param(
            "Ben Lutz said on Monday that he would visit Dover. Prime Minister Tom Reyes has made "
            "his views on Lutz's comments clear. The spokesman said that no meeting was planned.",
            "no meeting was planned",
            "The spokesman",
            id="a-spokesman-no-one-is-described-as-is-unnamed-not-the-person-in-view",
        ),
        pytest.param(
            "Carly Vantina Endorses Tom Reyes: I Am Horrified By Ben Lutz.\n\n"
            "Carly Vantina threw her support behind Sen. Tom Reyes on Wednesday.\n\n"
            "Vantina, the former Harbour Mutual chief executive who dropped her own bid in early "
            "February, made a surprise appearance at the rally in Dover. Vantina was upfront about "
            "her distaste for Ben Lutz. \u201cTom Reyes keeps his word on ferries,\u201d "
            "she said to cheers.",
            "keeps his word on ferries",
            "Carly Vantina",
            id="a-first-name-the-article-calls-she-is-a-person-though-tagged-an-organisation",
        ),
        pytest.param(
            "Ana Ortiz spoke in Dover on Monday. Her campaign has raised $4 million this year. "
            "The campaign said that the money came from small donors.",
            "money came from",
            "Ortiz campaign",
            id="the-campaign-after-her-campaign",
        ),
        pytest.param(
            "Ana Ortiz spoke in Dover on Monday, where she promised lower fares. "
            "The campaign said that the money came from small donors.",
            "money came from",
            "Ortiz campaign",
            id="the-campaign-is-that-of-the-person-in-view",
        ),
        pytest.param(
            "President Ben Lutz signed the order on Monday. Ana Ortiz, a harbour pilot, was there. "
            "The administration said that the rules would take effect in May.",
            "rules would take effect",
            "Lutz administration",
            id="the-administration-is-that-of-the-president-in-view",
        ),
        pytest.param(
            "Democratic candidates Ana Ortiz and Ben Lutz did respond to the Harbour Union and "
            "displayed their stances. They also said that the plan was good.",
            "plan was good",
            "Ana Ortiz and Ben Lutz",
            id="names-apposed-to-the-subject-are-the-subject-for-they",
        ),
        pytest.param(
            "Ben Lutz, the defence lawyer, stood up in the courtroom. The judge said that the "
            "sentence would be light. Later that day Judge Ana Ortiz adjourned the hearing.",
            "sentence would be light",
            "Ana Ortiz",
            id="a-role-noun-is-the-person-titled-so-even-if-named-later",
        ),
        pytest.param(
            "Mr. Okafor arrived in Dover on Monday. Mr. Okafor met the mayor, and Mr. Okafor then "
            "toured the docks. His wife, Grace Okafor, stayed in London. Okafor said that fares "
            "would fall. The money will go to the Samuel Okafor Foundation.",
            "fares would fall",
            "Samuel Okafor",
            id="bare-surname-is-the-most-named-and-full-name-from-another-name",
        ),
        pytest.param(
            "Samuel Okafor opened the ferry terminal in Dover on Monday. Grace Okafor runs the "
            "harbour cafe. Mr. Okafor's daughter said that the queues had doubled. The mayor, "
            "Peter Hall, disagreed.",
            "queues had doubled",
            "Grace Okafor",
            id="a-relative-is-another-person-of-the-surname-never-the-owner",
        ),
        pytest.param(
            "A Twitter spokesman, Peter Hall, said that the posts had been removed.",
            "posts had been removed",
            "Peter Hall",
            id="a-spokesman-is-the-named-person-not-the-company",
        ),
        pytest.param(
            "The two new hosts of the podcast are Anna Berg and Jake Holm. A producer we once "
            "hired, Tom Reyes, praised them. They said that the format would change in the spring.",
            "format would change",
            "Anna Berg and Jake Holm",
            id="they-is-the-people-named-together-not-a-singular-description",
        ),
        pytest.param(
            "The clerk we met at the desk, Tom Reyes, told us that the hotel had been sold.",
            "hotel had been sold",
            "Tom Reyes",
            id="a-name-set-off-after-a-clause-on-the-noun",
        ),
        pytest.param(
            "A 2019 study by economists Ana Ortiz and Ben Lutz found that tariffs raised prices.",
            "tariffs raised prices",
            "Ana Ortiz and Ben Lutz",
            id="a-document-by-coordinated-makers-is-theirs",
        ),
        pytest.param(
            "Party chairman Tom Reyes and his Senate counterpart Ben Lutz said that the bill would pass.",
            "bill would pass",
            "Tom Reyes and Ben Lutz",
            id="a-conjunct-is-named-by-its-apposition-not-its-compound-body",
        ),
        pytest.param(
            "Ben Lutz, a moderate Ohio Democrat who said last week that the bill was dead, voted for it.",
            "bill was dead",
            "Ben Lutz",
            id="a-relative-on-an-apposition-is-the-named-person",
        ),
        pytest.param(
            "Donald Hale spoke in Ohio. Many Hale supporters said that the rally was too short.",
            "rally was too short",
            "Hale supporters",
            id="a-group-named-after-a-person-is-not-the-person",
        ),
        pytest.param(
            "Clara Hale spoke in Ohio. Hale's supporters said that the rally was too short.",
            "rally was too short",
            "Hale's supporters",
            id="a-group-keeps-its-named-possessor",
        ),
        pytest.param(
            "Ben Lutz spoke in Leeds. His supporters said that the rally was too short.",
            "rally was too short",
            "Lutz supporters",
            id="a-group-owned-by-a-pronoun-is-named-after-its-owner",
        ),
        pytest.param(
            "Ana Ortiz spoke in Leeds on Monday. Her economic plan says that taxes on the rich will rise.",
            "taxes on the rich",
            "Ana Ortiz",
            id="a-thing-of-a-person-s-speaks-for-them",
        ),
        pytest.param(
            "Ortiz's introducer, actress Lena Park, said that the night was historic.",
            "night was historic",
            "Lena Park",
            id="a-possessed-person-noun-is-the-person-in-apposition-not-the-owner",
        ),
        pytest.param(
            "The company said on Monday that it would cut 200 jobs. Harbour Freight Ltd, based in Leeds, "
            "has struggled since 2020.",
            "cut 200 jobs",
            "Harbour Freight Ltd",
            id="an-organisation-noun-before-any-is-named-is-the-one-named-next",
        ),
        pytest.param(
            "Add former Chilean finance minister Pablo Reyes to the critics of Mark Dane's budget. The former "
            "minister spoke at length on a radio show on Sunday, during which he said that the cuts were reckless.",
            "cuts were reckless",
            "Pablo Reyes",
            id="a-definite-role-noun-subject-puts-its-person-in-view",
        ),
        pytest.param(
            "Historian Says Ferry Cuts Will Hurt The Islands\n\nThe cuts to the island ferries will cost "
            "jobs, said Ana Ortiz, who teaches maritime history at Kent University.",
            "Ferry Cuts",
            "Ana Ortiz",
            id="a-headline-s-person-noun-is-the-person-introduced-below",
        ),
        pytest.param(
            "Tom Reyes runs the port. Ana Reyes, a pilot, was hurt in the crash. Reyes has an ally in Mira "
            "Patel. He says she will vote for the plan next week.",
            "will vote for the plan",
            "Tom Reyes",
            id="he-says-she-the-she-is-someone-else",
        ),
        pytest.param(
            "Ana Reyes runs the port. Tom Reyes, a pilot, was hurt in the crash. Reyes has an ally in Ben "
            "Lutz. She says he will vote for the plan next week.",
            "will vote for the plan",
            "Ana Reyes",
            id="a-first-name-before-a-surname-tagged-a-body-is-a-relative-of-her-own",
        ),
        pytest.param(
            "Ana Ortiz had a rough week. A story by the website Portwatch says that more than a hundred "
            "delegates will leave her. The story also noted that only one board member backs Ortiz.",
            "delegates will leave her",
            "Portwatch",
            id="a-story-by",
        ),
        pytest.param(
            "Ana Ortiz had a rough week. A story by the website Portwatch says that more than a hundred "
            "delegates will leave her. The story also noted that only one board member backs Ortiz.",
            "one board member backs",
            "Portwatch",
            id="the-story-after-one-by",
        ),
        pytest.param(
            "Ana Ortiz had a rough week. A story by the website Dockwire says that more than a hundred "
            "dockers will vote for Ben Lutz. The story also noted that only one pilot backs Ortiz.",
            "one pilot backs",
            "Dockwire",
            id="the-story-after-one-by-a-name-the-parser-made-the-verb-s-subject",
        ),
        pytest.param(
            "Ana Ortiz, a Harbour Party aide, spoke first. The Harbour Party employee said the ferry would stay.",
            "ferry would stay",
            "The Harbour Party employee",
            id="a-body-before-a-noun-for-people-is-not-the-speaker",
        ),
        pytest.param(
            "The Harbour Trust sued Northwind Bank over the ferry. The government said the ferry would stay.",
            "ferry would stay",
            "The government",
            id="the-government-is-no-body-in-view-the-article-does-not-call-so",
        ),
        pytest.param(
            "Ana Ortiz's hopes are fading, according to even her own supporters, who say the ferry "
            "plan has failed.",
            "ferry plan has failed",
            "Ortiz supporters",
            id="her-own-supporters-are-her-supporters",
        ),
        pytest.param(
            "Dover Republicans met on Monday. No one said the ferry would stay.",
            "ferry would stay",
            "No one",
            id="no-one-is-no-group-in-view",
        ),
        pytest.param(
            "The Americans arrived in Dover on Monday. It said that the ferry would stay.",
            "ferry would stay",
            None,
            id="it-is-no-nationality",
        ),
        pytest.param(
            "Ana Ortiz has covered the harbour for a decade. A story by Ortiz on Monday said the deal was dead.",
            "deal was dead",
            "Ana Ortiz",
            id="a-story-by-the-article-s-first-name",
        ),
        pytest.param(
            "Ben Lutz has owned the Harbour Gazette since 2019. An editorial published by Ana Ortiz on "
            "Monday said the deal was dead.",
            "deal was dead",
            "Ana Ortiz",
            id="published-by-is-the-writer",
        ),
        pytest.param(
            "An ad funded by the Harbour Party says that Ana Ortiz lied about the ferry.",
            "lied about the ferry",
            "Harbour Party",
            id="an-ad-speaks-for-whoever-pays-for-it",
        ),
        pytest.param(
            "A letter signed by Ana Ortiz and Ben Lutz said that the port should stay open.",
            "port should stay open",
            "Ana Ortiz and Ben Lutz",
            id="signed-by-are-the-writers",
        ),
        pytest.param(
            "Ferry plan wins backing.\n\nDOVER - Ben Lutz painted a dire portrait of the harbour on Thursday "
            "night. He said that the port was in decline.",
            "port was in decline",
            "Ben Lutz",
            id="a-dateline-is-no-part-of-the-name",
        ),
        pytest.param(
            "AFL-CIO to endorse Ana Ortiz.\n\nThe AFL-CIO political committee said on Monday that the "
            "federation should endorse Ortiz.",
            "federation should endorse",
            "AFL-CIO",
            id="a-hyphen-in-a-name-is-no-dateline",
        ),
        pytest.param(
            "Ana Ortiz, who is third in many polls, stressed defense during an appearance with Sen. Ben "
            "Lutz, R-Iowa. The Florida senator told reporters she feels good about her campaign.",
            "feels good about her campaign",
            "Ana Ortiz",
            id="a-senator-of-another-state-is-not-the-florida-senator",
        ),
        pytest.param(
            "Sen. Ben Lutz, R-Ky., appeared with Ana Ortiz at a rally in Dover on Monday. The Florida "
            "senator told reporters she feels good about her campaign.",
            "feels good about her campaign",
            "Ana Ortiz",
            id="a-state-s-ap-abbreviation-is-another-state",
        ),
        pytest.param(
            "Sen. Ana Ortiz (D-Vt.) met Sen. Ben Lutz (R-Fla.) on Monday. The Florida senator said the "
            "talks went well.",
            "talks went well",
            "Ben Lutz",
            id="a-state-s-ap-abbreviation-is-that-state",
        ),
        pytest.param(
            "Ana Ortiz, the former secretary of state, clashed with Ben Lutz on stage on Monday. The "
            "senator said her plan would fail.",
            "her plan would fail",
            "Ben Lutz",
            id="a-secretary-is-not-the-senator",
        ),
        pytest.param(
            "A forecast by the consulting firm Tidewater Analytics, prepared for the Harbour Retail "
            "Federation, says that fares would rise.",
            "fares would rise",
            "Tidewater Analytics",
            id="by-a-noun-and-its-name",
        ),
        pytest.param(
            "The Harbour Register backed Ortiz in 2020. A Wednesday editorial in The Harbour Register "
            "said the ferry plan was a mistake.",
            "ferry plan was a mistake",
            "Harbour Register",
            id="a-day-is-no-maker",
        ),
        pytest.param(
            "The email was sent by Ana Ortiz, the port director, late on Monday. It was addressed to the "
            'harbour board. "We have found the fault in the ferry engine," it reads. "The engineers at '
            "Northwind Marine need two more weeks. They will report on Friday. The parts come from Norway. "
            'The boats stay in port until then," it said.',
            "engineers at Northwind",
            "Ana Ortiz",
            id="it-goes-on-speaking-for-the-same-document",
        ),
        pytest.param(
            "A USA TODAY review of the records found gaps. USA TODAY's questions about the ferry went "
            "unanswered, and USA TODAY reported that the pier was closed.",
            "pier was closed",
            "USA TODAY",
            id="a-body-named-in-capitals-is-no-transcript-label",
        ),
        pytest.param(
            "The port director spoke on Monday. The director's claim that the pier would reopen by May was rejected.",
            "pier would reopen",
            "The director",
            id="an-owner-is-named-without-its-possessive",
        ),
    ],
)
def test_speaker(text: str, phrase: str, speaker: str | None) -> None:
    assert speaker_of(text, phrase) == speaker


def test_unnamed_source_gets_no_name() -> None:
    article = extract("A spokesman said the ferry would sail on time.", clean=False)
    quote = quote_with(article, "ferry would sail")
    assert quote.speaker is not None
    entity = article.entity(quote.speaker.entity)
    assert entity is not None and entity.kind == "unnamed"


@pytest.mark.parametrize(
    ("acronym", "words", "expected"),
    [
        ("CSA", ["Coastal", "Shipping", "Association"], True),
        ("F.B.I.", ["Federal", "Bureau", "of", "Investigation"], True),
        ("NHS", ["National", "Health", "Service"], True),
        ("CSA", ["Coastal", "Safety", "Board"], False),
        ("Csa", ["Coastal", "Shipping", "Association"], False),
        ("CSA", ["Association"], False),
    ],
)
def test_abbreviates(acronym: str, words: list[str], expected: bool) -> None:
    assert abbreviates(acronym, words) is expected


def _hand_doc(words: list[tuple[str, str]], ents: list[tuple[int, int]], sent_starts: list[int]) -> Doc:
    """A hand-analysed doc (word, POS), every token hung on the first of its sentence, and the
    PERSON entities given: the entity tagger's misses are part of the input."""
    starts = sorted(sent_starts)
    rows = []
    for i, (word, pos) in enumerate(words):
        root = max(s for s in starts if s <= i)
        rows.append((word, word.lower(), pos, "", root, "ROOT" if i == root else "dep"))
    doc = hand_docs.build(rows, sent_starts=sent_starts)
    doc.ents = [Span(doc, lo, hi, label="PERSON") for lo, hi in ents]
    return doc


def _names(doc: Doc) -> dict[int, str]:
    clusters, token_map = build_entities(doc)
    return {i: clusters[c].name for i, c in token_map.items()}


def test_a_headline_name_does_not_end_in_a_verb() -> None:
    words = "Okafor Seeks More Ferry Routes From Dover . Harbour master Samuel Okafor spoke on Monday ."
    pos = "PROPN VERB ADJ PROPN PROPN ADP PROPN PUNCT PROPN NOUN PROPN PROPN VERB ADP PROPN PUNCT"
    doc = _hand_doc(list(zip(words.split(), pos.split(), strict=True)), [(0, 2), (10, 12)], [0, 8])
    names = _names(doc)
    assert names[0] == "Samuel Okafor" and 1 not in names


def test_a_full_name_the_tagger_missed_names_the_surname() -> None:
    words = "Samuel Okafor , a harbour master , spoke . Mr. Okafor said no . Mr. Okafor left ."
    pos = (
        "PROPN PROPN PUNCT DET NOUN NOUN PUNCT VERB PUNCT PROPN PROPN VERB INTJ PUNCT PROPN PROPN VERB PUNCT"
    )
    doc = _hand_doc(list(zip(words.split(), pos.split(), strict=True)), [(10, 11), (15, 16)], [0, 9, 14])
    names = _names(doc)
    assert names[10] == names[15] == "Samuel Okafor"


def test_a_relative_the_tagger_missed_is_a_person_of_her_own() -> None:
    words = "Samuel Okafor spoke . Grace Okafor left . The Grace Okafor Foundation paid ."
    pos = "PROPN PROPN VERB PUNCT PROPN PROPN VERB PUNCT DET PROPN PROPN PROPN VERB PUNCT"
    doc = _hand_doc(list(zip(words.split(), pos.split(), strict=True)), [(0, 2)], [0, 4, 8])
    names = _names(doc)
    assert names[0] == names[1] == "Samuel Okafor"
    assert names[4] == names[5] == "Grace Okafor"
    assert 9 not in names and 10 not in names  # part of another name


def test_a_platform_tagged_as_a_person_is_an_organisation() -> None:
    words = "Twitter said no . Grace Okafor left ."
    pos = "PROPN VERB INTJ PUNCT PROPN PROPN VERB PUNCT"
    doc = _hand_doc(list(zip(words.split(), pos.split(), strict=True)), [(0, 1), (4, 6)], [0, 4])
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[0]].kind == "organization"
    assert clusters[token_map[4]].kind == "person"


def test_a_name_after_a_title_is_a_person_whatever_it_a_later_clause_opens_with() -> None:
    # "Nkemdi said it was late": the "it" is the weather's, and "President Nkemdi" a person
    rows = [
        ("President", "President", "PROPN", "NNP", 1, "compound"),
        ("Nkemdi", "Nkemdi", "PROPN", "NNP", 2, "nsubj"),
        ("spoke", "speak", "VERB", "VBD", 2, "ROOT"),
        (".", ".", "PUNCT", ".", 2, "punct"),
        ("Nkemdi", "Nkemdi", "PROPN", "NNP", 5, "nsubj"),
        ("said", "say", "VERB", "VBD", 5, "ROOT"),
        ("it", "it", "PRON", "PRP", 7, "nsubj"),
        ("was", "be", "AUX", "VBD", 5, "ccomp"),
        ("late", "late", "ADJ", "JJ", 7, "acomp"),
        (".", ".", "PUNCT", ".", 5, "punct"),
    ]
    doc = hand_docs.build(rows, sent_starts=[0, 4])
    doc.ents = [Span(doc, 1, 2, label="PERSON"), Span(doc, 4, 5, label="PERSON")]
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[4]].kind == "person"


def _labelled_doc(words: str, pos: str, ents: list[tuple[int, int, str]], sent_starts: list[int]) -> Doc:
    doc = _hand_doc(list(zip(words.split(), pos.split(), strict=True)), [], sent_starts)
    doc.ents = [Span(doc, lo, hi, label=label) for lo, hi, label in ents]
    return doc


def test_a_name_does_not_end_in_a_lower_case_word() -> None:
    # the tagger took "Ana seconds" for a name: "seconds" is the verb
    words = "Ana Ortiz spoke . Ana seconds Ben 's advice ."
    pos = "PROPN PROPN VERB PUNCT PROPN VERB PROPN PART NOUN PUNCT"
    doc = _labelled_doc(words, pos, [(0, 2, "PERSON"), (4, 6, "PERSON")], [0, 4])
    names = _names(doc)
    assert names[4] == "Ana Ortiz" and 5 not in names


def test_a_full_name_with_an_initial_the_tagger_missed_names_the_surname() -> None:
    # the full name is never tagged; one surname mention is tagged a person, one an organisation
    words = "Harbour professor Thomas W. Malone , a director , spoke . Malone said no . Malone wrote ."
    pos = (
        "PROPN NOUN PROPN PROPN PROPN PUNCT DET NOUN PUNCT VERB PUNCT PROPN VERB INTJ PUNCT PROPN VERB PUNCT"
    )
    doc = _labelled_doc(words, pos, [(11, 12, "PERSON"), (15, 16, "ORG")], [0, 11, 15])
    names = _names(doc)
    assert names[2] == names[4] == names[11] == names[15] == "Thomas W Malone"
    assert 0 not in names  # "Harbour" is not part of the name


def test_a_short_organisation_name_is_the_longer_one() -> None:
    words = "Kelp Holdings said yes . Kelp said no ."
    pos = "PROPN PROPN VERB INTJ PUNCT PROPN VERB INTJ PUNCT"
    doc = _labelled_doc(words, pos, [(0, 2, "ORG"), (5, 6, "ORG")], [0, 5])
    assert _names(doc)[5] == "Kelp Holdings"


def test_a_phrase_with_several_heads_is_resolved_by_its_named_one() -> None:
    # the parser split "co-author" and hung "co", "-" and "Ortiz" on the verb each
    rows = [
        ("said", "say", "VERB", "VBD", 0, "ROOT"),
        ("co", "co", "NOUN", "NN", 0, "nsubj"),
        ("-", "-", "NOUN", "NN", 0, "dobj"),
        ("author", "author", "NOUN", "NN", 5, "compound"),
        ("Ana", "Ana", "PROPN", "NNP", 5, "compound"),
        ("Ortiz", "Ortiz", "PROPN", "NNP", 0, "nsubj"),
        (".", ".", "PUNCT", ".", 0, "punct"),
    ]
    doc = hand_docs.build(rows, spaces=[True, False, False, True, True, False, False])
    doc.ents = [Span(doc, 4, 6, label="PERSON")]
    clusters, token_map = build_entities(doc)
    resolver = SpeakerResolver(doc, clusters, token_map)
    source = (doc[1].idx, doc[5].idx + len(doc[5].text))
    assert doc.text[source[0] : source[1]] == "co-author Ana Ortiz"
    found = resolver.resolve(source, None)
    assert found is not None and clusters[found].name == "Ana Ortiz"


def test_a_cue_without_a_source_takes_the_subject_before_a_name_in_passing() -> None:
    # "Lutz - in a speech aimed at Reyes's plan - declared that the pier stays.", the dashes
    # breaking the parse: "Lutz" hangs on "aimed", and the sentence's verb has no subject
    rows = [
        ("Lutz", "Lutz", "PROPN", "NNP", 5, "nsubjpass"),
        ("-", "-", "PUNCT", ":", 0, "punct"),
        ("in", "in", "ADP", "IN", 0, "prep"),
        ("a", "a", "DET", "DT", 4, "det"),
        ("speech", "speech", "NOUN", "NN", 2, "pobj"),
        ("aimed", "aim", "VERB", "VBN", 11, "advcl"),
        ("at", "at", "ADP", "IN", 5, "prep"),
        ("Reyes", "Reyes", "PROPN", "NNP", 9, "poss"),
        ("'s", "'s", "PART", "POS", 7, "case"),
        ("plan", "plan", "NOUN", "NN", 6, "pobj"),
        ("-", "-", "PUNCT", ":", 11, "punct"),
        ("declared", "declare", "VERB", "VBD", 11, "ROOT"),
        ("that", "that", "SCONJ", "IN", 15, "mark"),
        ("the", "the", "DET", "DT", 14, "det"),
        ("pier", "pier", "NOUN", "NN", 15, "nsubj"),
        ("stays", "stay", "VERB", "VBZ", 11, "ccomp"),
        (".", ".", "PUNCT", ".", 11, "punct"),
    ]
    doc = hand_docs.build(rows, spaces=[i not in (7, 15) for i in range(len(rows))])
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 7, 8, label="PERSON")]
    clusters, token_map = build_entities(doc)
    found = SpeakerResolver(doc, clusters, token_map).implicit(11)
    assert found is not None and clusters[found].name == "Lutz"


@pytest.mark.parametrize(
    ("text", "phrase", "members"),
    [
        pytest.param(
            "Tom Reyes, Ana Ortiz and Lena Park said that the budget was too small.",
            "budget was too small",
            ["Tom Reyes", "Ana Ortiz", "Lena Park"],
            id="coordinated-subject",
        ),
        pytest.param(
            'The harbour ferry ran late all week. "We are sorry for the delays," reply Ada Stone and '
            "Ben Lutz.",
            "sorry for the delays",
            ["Ada Stone", "Ben Lutz"],
            id="inverted-cue-coordinated-subject",
        ),
        pytest.param(
            "The harbour ferry ran late all week. \u201cThe ferry is unsafe,\u201d reply Ada Stone "
            "and Ben Lutz.",
            "ferry is unsafe",
            ["Ada Stone", "Ben Lutz"],
            id="inverted-cue-after-a-curly-mark",  # the tagger reads "reply" as a noun there
        ),
        pytest.param(
            "Ortiz and Patel said the pier would reopen in May.",
            "pier would reopen",
            ["Ortiz", "Patel"],
            id="a-surname-the-tagger-missed-joined-to-a-person",
        ),
        pytest.param(
            "Harbour news\n\nOrtiz and Patel said the pier would reopen in May.",
            "pier would reopen",
            ["Ortiz", "Patel"],
            id="a-list-opening-the-text-is-not-cut-after-its-first-name",
        ),
        pytest.param(
            "Three Democrats in tight races are keeping their distance. They include former Senator "
            "Ana Ortiz in Harbour; Dover Mayor Ben Lutz, who is running against Tom Reyes; and Mira Patel, who is "
            "battling Joe Heck in Kent. The candidates say they back the pier.",
            "they back the pier",
            ["Ana Ortiz", "Ben Lutz", "Mira Patel"],
            id="the-candidates-after-a-list-none-described-so",
        ),
        pytest.param(
            "Ana Ortiz won the primary in Dover on Tuesday. Ben Lutz won in Kent the same night. "
            "The two candidates said the pier should stay.",
            "pier should stay",
            ["Ana Ortiz", "Ben Lutz"],
            id="the-two-candidates-named-in-sentences-of-their-own",
        ),
        pytest.param(
            "Even the council's fiercest critics, like Ana Ortiz and Ben Lutz, say the pier must stay.",
            "pier must stay",
            ["Ana Ortiz", "Ben Lutz"],
            id="a-plural-like-the-people-it-names",
        ),
        pytest.param(
            "The mayor, Ana Ortiz, and her deputy Ben Lutz said the pier would reopen in May.",
            "pier would reopen",
            ["Ana Ortiz", "Ben Lutz"],
            id="members-in-apposition",
        ),
        pytest.param(
            "Tom Reyes met the mayor, Mira Patel, on Monday. Afterwards he and Patel said they would "
            '"work together on the ferry."',
            "work together",
            ["Tom Reyes", "Mira Patel"],
            id="a-pronoun-joined-to-a-name",
        ),
    ],
)
def test_a_group_source_names_each_member(text: str, phrase: str, members: list[str]) -> None:
    article = extract(text, clean=False)
    quote = quote_with(article, phrase)
    assert quote.speaker is not None
    assert [s.name for s in quote.speakers] == members
    group = article.entity(quote.speaker.entity)
    assert group is not None and group.kind == "group"
    for member in quote.speakers:
        entity = article.entity(member.entity)
        assert entity is not None and entity.name == member.name and entity.kind == "person"
    assert quote.to_dict()["speakers"] == [s.to_dict() for s in quote.speakers]


def test_one_speaker_has_no_members() -> None:
    quote = quote_with(extract("Ana Ortiz said that the pier would reopen in May.", clean=False), "pier")
    assert quote.speakers == [] and "speakers" not in quote.to_dict()


def test_a_person_the_tagger_calls_an_organisation_is_a_person_by_the_article_s_evidence() -> None:
    # "Priya Vance" tagged an organisation; the role noun before it says she is a person, and
    # her later surname mentions join her
    words = "Nutrition author Priya Vance spoke . Vance said no . Vance left ."
    pos = "NOUN NOUN PROPN PROPN VERB PUNCT PROPN VERB INTJ PUNCT PROPN VERB PUNCT"
    doc = _labelled_doc(words, pos, [(2, 4, "ORG"), (6, 7, "ORG"), (10, 11, "ORG")], [0, 6, 10])
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[2]].kind == "person"
    assert clusters[token_map[2]].name == "Priya Vance"
    assert token_map[6] == token_map[10] == token_map[2]


@pytest.mark.parametrize(
    ("words", "pos"),
    [
        pytest.param("Morgan Stanley said no .", "PROPN PROPN VERB INTJ PUNCT", id="no-evidence"),
        pytest.param(
            "Justice Supreme Court said no .", "NOUN PROPN PROPN VERB INTJ PUNCT", id="organisation-word"
        ),
    ],
)
def test_an_organisation_with_a_first_name_stays_one(words: str, pos: str) -> None:
    first = 1 if words.startswith("Justice") else 0
    doc = _labelled_doc(words, pos, [(first, first + 2, "ORG")], [0])
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[first]].kind == "organization"


def test_an_untagged_first_name_joins_a_one_word_name_said_to_be_a_person() -> None:
    # the tagger took "Vance" for a nationality and left "Rosette" out; the apposition says
    # she is a spokeswoman
    rows = [
        ("Rosette", "Rosette", "PROPN", "NNP", 1, "compound"),
        ("Vance", "Vance", "PROPN", "NNP", 6, "nsubj"),
        (",", ",", "PUNCT", ",", 1, "punct"),
        ("a", "a", "DET", "DT", 4, "det"),
        ("spokeswoman", "spokeswoman", "NOUN", "NN", 1, "appos"),
        (",", ",", "PUNCT", ",", 1, "punct"),
        ("said", "say", "VERB", "VBD", 6, "ROOT"),
        ("no", "no", "INTJ", "UH", 6, "dobj"),
        (".", ".", "PUNCT", ".", 6, "punct"),
    ]
    doc = hand_docs.build(rows)
    doc.ents = [Span(doc, 1, 2, label="NORP")]
    clusters, token_map = build_entities(doc)
    assert token_map[0] == token_map[1]
    assert clusters[token_map[1]].kind == "person" and clusters[token_map[1]].name == "Rosette Vance"


def test_a_name_in_apposition_names_the_head_before_an_organisation_in_compound() -> None:
    # "A longtime KHB official, Ana Ortiz, said": Ana Ortiz, not the KHB
    rows = [
        ("A", "a", "DET", "DT", 3, "det"),
        ("longtime", "longtime", "ADJ", "JJ", 3, "amod"),
        ("KHB", "KHB", "PROPN", "NNP", 3, "compound"),
        ("official", "official", "NOUN", "NN", 8, "nsubj"),
        (",", ",", "PUNCT", ",", 3, "punct"),
        ("Ana", "Ana", "PROPN", "NNP", 6, "compound"),
        ("Ortiz", "Ortiz", "PROPN", "NNP", 3, "appos"),
        (",", ",", "PUNCT", ",", 3, "punct"),
        ("said", "say", "VERB", "VBD", 8, "ROOT"),
        ("no", "no", "INTJ", "UH", 8, "dobj"),
        (".", ".", "PUNCT", ".", 8, "punct"),
    ]
    doc = hand_docs.build(rows)
    doc.ents = [Span(doc, 2, 3, label="ORG"), Span(doc, 5, 7, label="PERSON")]
    clusters, token_map = build_entities(doc)
    resolver = SpeakerResolver(doc, clusters, token_map)
    found = resolver.resolve((doc[0].idx, doc[6].idx + len(doc[6].text)), 3)
    assert found is not None and clusters[found].name == "Ana Ortiz"


def test_a_name_inside_reported_words_is_a_weaker_antecedent() -> None:
    text = (
        "Ana Ortiz praised the ferry crew on Monday. She said that Maria Lopez had kept the harbour "
        "open all night. She added that the pier would reopen in May."
    )
    assert speaker_of(text, "pier would reopen") == "Ana Ortiz"


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_viewpoint_puts_its_holder_in_view_for_the_next_pronoun(mode: str) -> None:
    text = (
        "Kevin Reyes recommends a nylon filter rather than a metal one. He explains that nylon "
        "filters are cheaper.\n\n"
        "For Ben Lutz, it is not so much which filter you use, but simply that you use one. "
        "“A good pop filter will always help,” he says."
    )
    article = extract(text, mode=mode, clean=False)
    quote = quote_with(article, "good pop filter")
    assert quote.speaker is not None and quote.speaker.name == "Ben Lutz"
    # the viewpoint itself is no quotation
    assert not any("which filter you use" in q.content_text for q in article.quotes)


def test_a_first_name_that_speaks_is_a_person_s_even_if_tagged_an_organisation() -> None:
    # "Priya Vance" and "Vance" tagged organisations; "Vance told reporters" says she speaks
    rows = [
        ("Priya", "Priya", "PROPN", "NNP", 1, "compound"),
        ("Vance", "Vance", "PROPN", "NNP", 2, "nsubj"),
        ("spoke", "speak", "VERB", "VBD", 2, "ROOT"),
        (".", ".", "PUNCT", ".", 2, "punct"),
        ("Vance", "Vance", "PROPN", "NNP", 5, "nsubj"),
        ("told", "tell", "VERB", "VBD", 5, "ROOT"),
        ("reporters", "reporter", "NOUN", "NNS", 5, "dobj"),
        ("no", "no", "INTJ", "UH", 5, "dobj"),
        (".", ".", "PUNCT", ".", 5, "punct"),
    ]
    doc = hand_docs.build(rows, sent_starts=[0, 4])
    doc.ents = [Span(doc, 0, 2, label="ORG"), Span(doc, 4, 5, label="ORG")]
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[1]].kind == "person"
    assert token_map[4] == token_map[1]


def test_a_name_after_an_office_tagged_a_name_is_a_person() -> None:
    # "Former Northwind CEO Ana Ortiz", the office parsed as a proper noun and the name tagged
    # an organisation: the office before it says she is a person
    rows = [
        ("Former", "former", "ADJ", "JJ", 2, "amod"),
        ("Northwind", "Northwind", "PROPN", "NNP", 2, "compound"),
        ("CEO", "CEO", "PROPN", "NNP", 4, "compound"),
        ("Ana", "Ana", "PROPN", "NNP", 4, "compound"),
        ("Ortiz", "Ortiz", "PROPN", "NNP", 5, "nsubj"),
        ("named", "name", "VERB", "VBD", 5, "ROOT"),
        ("a", "a", "DET", "DT", 7, "det"),
        ("favorite", "favorite", "NOUN", "NN", 5, "dobj"),
        (".", ".", "PUNCT", ".", 5, "punct"),
    ]
    doc = hand_docs.build(rows, sent_starts=[0])
    doc.ents = [Span(doc, 1, 2, label="ORG"), Span(doc, 3, 5, label="ORG")]
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[4]].kind == "person"


def test_an_abbreviated_office_and_a_party_are_not_the_name() -> None:
    words = "GOP Rep Ortiz Backs Ferry Plan . Attorney General Ana Ortiz spoke . AG Ortiz said no ."
    pos = "PROPN PROPN PROPN VERB PROPN PROPN PUNCT PROPN PROPN PROPN PROPN VERB PUNCT PROPN PROPN VERB INTJ PUNCT"
    ents = [(0, 3, "ORG"), (9, 11, "PERSON"), (13, 15, "PERSON")]
    doc = _labelled_doc(words, pos, ents, [0, 7, 13])
    names = _names(doc)
    assert names[10] == names[14] == names[2] == "Ana Ortiz"


def test_a_full_name_tagged_an_organisation_joins_the_honorific_surname() -> None:
    # an unfamiliar first name: the honorific elsewhere says whose surname it is
    words = "Ms. Vance spoke first . Quillon Vance left early . Ms. Vance said no ."
    pos = "PROPN PROPN VERB ADV PUNCT PROPN PROPN VERB ADV PUNCT PROPN PROPN VERB INTJ PUNCT"
    ents = [(1, 2, "PERSON"), (5, 7, "ORG"), (11, 12, "PERSON")]
    doc = _labelled_doc(words, pos, ents, [0, 5, 10])
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[6]].kind == "person"
    assert token_map[1] == token_map[6] == token_map[11]
    assert clusters[token_map[1]].name == "Quillon Vance"


def test_a_name_tagged_an_organisation_whose_last_word_speaks_is_a_person() -> None:
    # "The fund of Harpal Singh Bedi , a hotelier , grew . Bedi said no . Bedi told us ."
    rows = [
        ("The", "the", "DET", "DT", 1, "det"),
        ("fund", "fund", "NOUN", "NN", 9, "nsubj"),
        ("of", "of", "ADP", "IN", 1, "prep"),
        ("Harpal", "Harpal", "PROPN", "NNP", 5, "compound"),
        ("Singh", "Singh", "PROPN", "NNP", 5, "compound"),
        ("Bedi", "Bedi", "PROPN", "NNP", 2, "pobj"),
        (",", ",", "PUNCT", ",", 5, "punct"),
        ("a", "a", "DET", "DT", 8, "det"),
        ("hotelier", "hotelier", "NOUN", "NN", 5, "appos"),
        ("grew", "grow", "VERB", "VBD", 9, "ROOT"),
        (".", ".", "PUNCT", ".", 9, "punct"),
        ("Bedi", "Bedi", "PROPN", "NNP", 12, "nsubj"),
        ("said", "say", "VERB", "VBD", 12, "ROOT"),
        ("no", "no", "INTJ", "UH", 12, "intj"),
        (".", ".", "PUNCT", ".", 12, "punct"),
        ("Bedi", "Bedi", "PROPN", "NNP", 16, "nsubj"),
        ("told", "tell", "VERB", "VBD", 16, "ROOT"),
        ("us", "we", "PRON", "PRP", 16, "dobj"),
        (".", ".", "PUNCT", ".", 16, "punct"),
    ]
    doc = hand_docs.build(rows, sent_starts=[0, 11, 15])
    doc.ents = [Span(doc, 3, 6, label="ORG")]
    names = _names(doc)
    assert names[5] == "Harpal Singh Bedi"
    clusters, _ = build_entities(doc)
    assert [c.kind for c in clusters if c.words[-1] == "Bedi"] == ["person"]


def test_an_organisation_s_name_stops_at_a_bracket() -> None:
    words = "Data from the Harbour Health Survey ( HHS ) found that pilots are tired ."
    pos = "NOUN ADP DET PROPN PROPN PROPN PUNCT PROPN PUNCT VERB SCONJ NOUN AUX ADJ PUNCT"
    rows = [(w, w.lower(), p, "", 9, "dep") for w, p in zip(words.split(), pos.split(), strict=True)]
    doc = hand_docs.build(rows)
    doc.ents = [Span(doc, 3, 8, label="ORG")]  # the tagger took "( HHS" into the name
    clusters, _ = build_entities(doc)
    assert [c.words for c in clusters] == [["Harbour", "Health", "Survey"]]


def test_an_untagged_name_in_apposition_to_a_job_is_a_person() -> None:
    # "According to Clinova's Senior Brand Manager, Thessaly Vennin, that is the plan ." with the
    # tagger's "Clinova's Senior" an organisation and no person tagged
    rows = [
        ("According", "accord", "VERB", "VBG", 0, "ROOT"),
        ("to", "to", "ADP", "IN", 0, "prep"),
        ("Clinova", "Clinova", "PROPN", "NNP", 6, "poss"),
        ("'s", "'s", "PART", "POS", 2, "case"),
        ("Senior", "Senior", "PROPN", "NNP", 6, "compound"),
        ("Brand", "Brand", "PROPN", "NNP", 6, "compound"),
        ("Manager", "Manager", "PROPN", "NNP", 1, "pobj"),
        (",", ",", "PUNCT", ",", 6, "punct"),
        ("Thessaly", "Thessaly", "PROPN", "NNP", 9, "compound"),
        ("Vennin", "Vennin", "PROPN", "NNP", 6, "appos"),
        (",", ",", "PUNCT", ",", 6, "punct"),
        ("that", "that", "PRON", "DT", 12, "nsubj"),
        ("is", "be", "AUX", "VBZ", 0, "ccomp"),
        ("the", "the", "DET", "DT", 14, "det"),
        ("plan", "plan", "NOUN", "NN", 12, "attr"),
        (".", ".", "PUNCT", ".", 0, "punct"),
    ]
    doc = hand_docs.build(rows)
    doc.ents = [Span(doc, 2, 5, label="ORG")]
    clusters, token_map = build_entities(doc)
    assert clusters[token_map[9]].kind == "person" and clusters[token_map[9]].name == "Thessaly Vennin"
    assert token_map.get(8) == token_map[9]


@pytest.mark.parametrize(("text", "joined"), [("the Gazette said", True), ("Gazette Media said", False)])
def test_a_short_name_after_the_is_the_one_body_whose_name_ends_in_it(text: str, joined: bool) -> None:
    from onrecord.resolve.clusters import Cluster, join_short_names  # one step, tested alone

    full = f"The Harbour Gazette reported it. {text}"
    start = full.index("Gazette", 20)
    clusters = [
        Cluster("organization", ["Harbour", "Gazette"], mentions=[(4, 19)], mention_tokens=[1, 2]),
        Cluster("organization", ["Gazette"], mentions=[(start, start + 7)], mention_tokens=[7]),
    ]
    token_map = {1: 0, 2: 0, 7: 1}
    join_short_names(clusters, token_map, full)
    assert (token_map[7] == 0) is joined


def test_a_list_of_things_with_one_name_tagged_a_person_makes_no_people() -> None:
    # "She charts with Pandas, Seaborn and Plotly ." with "Pandas" tagged a person: a list in
    # an object is no list of speakers
    rows = [
        ("She", "she", "PRON", "PRP", 1, "nsubj"),
        ("charts", "chart", "VERB", "VBZ", 1, "ROOT"),
        ("with", "with", "ADP", "IN", 1, "prep"),
        ("Pandas", "Pandas", "PROPN", "NNP", 2, "pobj"),
        (",", ",", "PUNCT", ",", 3, "punct"),
        ("Seaborn", "Seaborn", "PROPN", "NNP", 3, "conj"),
        ("and", "and", "CCONJ", "CC", 5, "cc"),
        ("Plotly", "Plotly", "PROPN", "NNP", 5, "conj"),
        (".", ".", "PUNCT", ".", 1, "punct"),
    ]
    doc = hand_docs.build(rows)
    doc.ents = [Span(doc, 3, 4, label="PERSON")]
    _, token_map = build_entities(doc)
    assert 5 not in token_map and 7 not in token_map


def test_a_heading_s_first_word_is_no_imperative() -> None:
    # "Top Picks" tagged a person on a heading line: "top" is a verb the lemmatizer knows, but no
    # object follows the name, so the name keeps it
    words = "Top Picks . The kettle boils fast ."
    pos = "ADJ PROPN PUNCT DET NOUN VERB ADV PUNCT"
    doc = _labelled_doc(words, pos, [(0, 2, "PERSON")], [0, 3])
    assert _names(doc)[1] == "Top Picks"


def test_a_hyphenated_surname_tagged_an_organisation_is_the_person_s() -> None:
    """'Bourget-Vennin' (three tokens) tagged an organisation where Lysa Bourget-Vennin is named:
    her mention, not an organisation of that name."""
    article = extract(
        "Harbour Beauty's Senior Brand Manager, Lysa Bourget-Vennin, said the brand follows its "
        "community. For the ferry line, Bourget-Vennin shared that repeat riders are the key figure. "
        '"We watch them closely," Bourget-Vennin said.',
        clean=False,
    )
    named = [(e.kind, e.name) for e in article.entities if "Bourget-Vennin" in e.name]
    assert named == [("person", "Lysa Bourget-Vennin")]


def test_a_name_ending_in_a_document_noun_is_no_person() -> None:
    """'Pulse Survey' tagged a person: a document's name, whose findings are its maker's."""
    article = extract(
        "Harbour Ferries asked its riders about the winter timetable. Our Q2 2025 Pulse Survey found "
        "that 64% of riders say they would take an earlier sailing. Ana Ortiz, who runs the line, said "
        "the results were clear.",
        clean=False,
        scope="attributions",
    )
    assert [e.name for e in article.entities if e.kind == "person"] == ["Ana Ortiz"]
    survey = quote_with(article, "earlier sailing")
    assert survey.speaker is not None and article.entity(survey.speaker.entity).kind != "person"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "Smart thermostats can cut bills. Ecobee reports that its users save up to 26% on heating.",
            "Ecobee",
            "organization",
        ),
        (
            "That's where Kelvra comes in. It hit the public markets in 2020. Kelvra said revenue grew by "
            "a third.",
            "Kelvra",
            "organization",
        ),
        (
            "Harbour data tools are booming. Kelvra, based in Dover, is a leading data platform provider. "
            "Kelvra said revenue grew by a third.",
            "Kelvra",
            "organization",
        ),
        (
            "Harbour thermostats can cut bills. Ortiz reports that his customers save up to 26% on heating, "
            "and Ortiz added that the savings grow.",
            "Ortiz",
            "person",
        ),
    ],
)
def test_a_one_word_name_the_article_calls_it_is_an_organisation(text: str, name: str, kind: str) -> None:
    """Tagged a person, referred back to as "it"/"its" and never as he or she, or said to be a
    company: an organisation."""
    article = extract(text, clean=False, scope="attributions")
    assert [(e.kind, e.name) for e in article.entities if e.name == name] == [(kind, name)]


def test_a_description_is_one_line_of_words() -> None:
    """A role after a dash byline, at the end of its paragraph, is kept without the line break
    ("senior editor", not "senior editor\n")."""
    text = (
        "Best overall: Harbour Boots\n\n\u201cThese boots stayed dry through a week of rain on the coast "
        "path.\u201d \u2014 Ana Ortiz, senior editor\n\nThe boots cost $120."
    )
    article = extract(text, clean=False)
    ortiz = next(e for e in article.entities if e.name == "Ana Ortiz")
    assert ortiz.descriptions == ["senior editor"]


@pytest.mark.parametrize(("det", "person"), [("the", False), ("with", True)])
def test_two_untagged_names_after_the_are_a_thing_named_after_someone(det: str, person: bool) -> None:
    # "I used the Ben Test": a first name and a capitalised word the tagger left untagged are a
    # person's name, unless "the" is their determiner wherever the article writes them
    rows = [
        ("I", "I", "PRON", "PRP", 1, "nsubj"),
        ("used", "use", "VERB", "VBD", 1, "ROOT"),
        (det, det, "DET" if det == "the" else "ADP", "DT" if det == "the" else "IN", 4, "det"),
        ("Ben", "Ben", "PROPN", "NNP", 4, "compound"),
        ("Test", "Test", "PROPN", "NNP", 1, "dobj"),
        (".", ".", "PUNCT", ".", 1, "punct"),
    ]
    doc = hand_docs.build(rows)
    clusters, _ = build_entities(doc)
    assert any(c.kind == "person" and c.name == "Ben Test" for c in clusters) is person


def test_the_study_is_the_study_named_before_not_the_body_in_view() -> None:
    text = (
        "According to the Harbour College of Sports Medicine, adults should aim for at least 150 "
        "minutes of exercise a week. A longitudinal study published in the Journal of Mood Research "
        "in 2018 found that regular physical activity was associated with a lower risk of "
        "depression. The study found that exercise was as effective as other treatments."
    )
    article = extract(text, clean=False)
    first, second = quote_with(article, "physical activity"), quote_with(article, "as effective")
    assert first.speaker is not None and second.speaker is not None
    assert second.speaker.entity == first.speaker.entity
    assert "College" not in second.speaker.name


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The Harbour Fitness Institute tracks every workout. As they say, what gets measured gets done.",
            None,
        ),
        ("Ana Ortiz and Ben Lutz met on Monday. As they said, the deal is done.", "Ana Ortiz and Ben Lutz"),
    ],
)
def test_as_they_say_is_people_in_general(text: str, speaker: str | None) -> None:
    assert speaker_of(text, "done") == speaker


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "There was mayhem after a party activist demanded the list. The party chairman, Tom Reyes, "
            "called for a voice vote. (\u201cI don\u2019t want to have fisticuffs,\u201d said one party "
            "activist.) Reyes huddled with other leaders.",
            "fisticuffs",
        ),
        (
            "The Harbour GOP met on Monday. \u201cWe will not have fisticuffs,\u201d said a Harbour GOP official.",
            "fisticuffs",
        ),
        (
            "Ben Lutz flew for twenty years. The Air Force veteran said that the base should stay open.",
            "base should stay open",
        ),
        (
            "Ana Ortiz joined the bench in May. The Supreme Court justice said that the base should stay open.",
            "base should stay open",
        ),
        (
            "Ben Lutz spoke at the rally on Monday. A senior Ben Lutz adviser said that the base should stay open.",
            "base should stay open",
        ),
        (
            "The Harbour Board closed the pier on Monday after a storm. Some say the repairs will take a year.",
            "repairs will take",
        ),
    ],
)
def test_someone_described_but_not_named_is_unnamed(text: str, phrase: str) -> None:
    # "one party activist", "a GOP official": someone the article does not name, neither the
    # named person in view nor the body in the phrase; "the Air Force veteran", "a senior Ben
    # Lutz adviser": one person, whom the name before the noun only describes
    article = extract(text, clean=False)
    quote = quote_with(article, phrase)
    assert quote.speaker is not None
    entity = article.entity(quote.speaker.entity)
    assert entity is not None and entity.kind == "unnamed"


@pytest.mark.parametrize(("phrase", "outlet"), [("A weekly newspaper", False), ("An article", True)])
def test_an_indefinite_outlet_is_another_but_an_article_is_the_outlet_s(phrase: str, outlet: bool) -> None:
    text = (
        f"The Harbour Gazette covered the vote on Monday. {phrase} owned by Ben Lutz said the deal was dead."
    )
    quote = quote_with(extract(text, clean=False), "deal was dead")
    assert quote.speaker is not None
    assert (quote.speaker.name == "Harbour Gazette") is outlet


@pytest.mark.parametrize(
    ("text", "members"),
    [
        pytest.param(
            'Ben Lutz said contractors cost more than clerks. "It is not perfect," he said.\n\n'
            'Ana Ortiz recalled her fight against outsourcing. "As mayor," she said, "I will oppose it."\n\n'
            "On the pension fund, both said a formula called the chained index would lower payments.",
            {"Ben Lutz", "Ana Ortiz"},
            id="last-two-speakers",
        ),
        pytest.param(
            "The cable giants Northwind Communications and Harbour Cable might make sense. Both are big "
            "enough, and both have said they want to expand their digital presence.",
            {"Northwind Communications", "Harbour Cable"},
            id="two-bodies-named-together",
        ),
    ],
)
def test_both_is_the_last_two_named_not_one_body(text: str, members: set[str]) -> None:
    # a bare "both" stands for two: the last two named together, else the last two people who
    # spoke, never the one body ("the pension fund") that "they" might take
    quote = quote_with(extract(text, clean=False), "formula" if "formula" in text else "digital presence")
    assert {s.name for s in quote.speakers} == members


def test_a_body_described_by_whom_it_serves_is_not_a_named_body_with_its_noun() -> None:
    # "the trade group for the Harbour Shield plans" is not "Northwind Health Group": a body the
    # article describes but never names, which the later "the group" and "it" take
    text = (
        "Northwind Health Group said it would leave the exchanges. Meanwhile, the trade group for the "
        "Harbour Shield plans, which cover most coastal towns, said the market was stabilizing. "
        '"We expect rates to settle," the group said in a statement. It added that premiums would rise.'
    )
    article = extract(text, clean=False)
    names = {}
    for phrase in ("leave the exchanges", "market was stabilizing", "rates to settle", "premiums would rise"):
        speaker = quote_with(article, phrase).speaker
        names[phrase] = speaker.name if speaker is not None else None
    described = "trade group for the Harbour Shield plans"
    assert names == {
        "leave the exchanges": "Northwind Health Group",
        "market was stabilizing": described,
        "rates to settle": described,
        "premiums would rise": described,
    }


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "The Harbour Ferry Company runs the route. Dozens of ferry workers gathered outside the "
            "depot on Monday. They said the new rota was unsafe.",
            "ferry workers",
            id="share-of-people",
        ),
        pytest.param(
            "The Harbour Ferry Company runs the route. Republican leaders in the House and Senate have "
            "made the ferry a goal. But they say the timing is unclear.",
            "Republican leaders in the House and Senate",
            id="people-not-the-body-they-modify",
        ),
        pytest.param(
            "The Harbour Gazette has a new desk. The two reporters who will run it are Ana Ortiz and "
            "Ben Lutz. They said the desk would cover the port.",
            "Ana Ortiz and Ben Lutz",
            id="the-subject-of-is-stands-for-those-named",
        ),
        pytest.param(
            "The Harbour Ferry Company runs the route. Ana Ortiz and Ben Lutz met its owners. "
            '"Ferry workers need a union, and owners must listen," Ortiz said. They said the new rota '
            "was unsafe.",
            "Ana Ortiz and Ben Lutz",
            id="not-a-subject-inside-quoted-words",
        ),
        pytest.param(
            "The Harbour Ferry Company runs the route. Dozens of commuters gathered outside the depot "
            "on Monday. They said the new timetable was unworkable.",
            "commuters",
            id="kind-of-people",
        ),
        pytest.param(
            "The Harbour Ferry Company runs the route. The commuters who pay 300 dollars a month for a "
            "pass and then miss their boat are angry. They said the company should refund them.",
            "commuters who pay 300 dollars a month for a pass",
            id="without-a-clause-joined-on",
        ),
    ],
)
def test_they_may_stand_for_people_a_plural_subject_describes(text: str, speaker: str) -> None:
    # "Dozens of ferry workers gathered ... They said": the people the subject describes, an
    # unnamed group, not the company in view; not where the sentence says who they are, nor
    # from inside someone's quoted words; people who are neither roles nor followers
    # ("commuters", "shoppers", "patients"), named by their phrase without a clause the parse
    # joined to it
    article = extract(text, clean=False)
    quote = article.quotes[-1]  # the quotation after "They"
    they = [w for w in text.split() if w.lower() == "they"][-1]
    assert quote.source is not None and quote.source.text == they
    assert quote.speaker is not None and quote.speaker.name == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Mayor Ana Ortiz spoke on Monday. Ortiz and her top aides said the ferry would run again.",
            "Ana Ortiz and her top aides",
            id="and-her-aides",
        ),
        pytest.param(
            "Ben Lutz runs the port. Neither Mr. Lutz nor other officials said when the ferry would run again.",
            "Ben Lutz and other officials",
            id="neither-nor",
        ),
        pytest.param(
            "Ana Ortiz spoke on Monday. Ortiz and Ben Lutz said the ferry would run again.",
            "Ana Ortiz and Ben Lutz",
            id="two-named",
        ),
    ],
)
def test_a_named_person_and_people_described_are_one_group(text: str, speaker: str) -> None:
    # "Ortiz and her top aides said": a group of her and those the other conjunct describes,
    # named after both, not Ortiz alone
    assert speaker_of(text, "ferry would run again") == speaker


def test_a_person_who_spoke_with_others_stays_in_view_for_she() -> None:
    text = (
        "Ana Ortiz runs the port. Mira Patel, her rival, has criticised the plan. This week, "
        "Ortiz and her top aides have told colleagues that she will do what it takes to beat Patel. "
        "Her critics on the board still hope the pressure on her to resign grows. "
        '"I have said it many times: Mira Patel is unfit to run the port," she told reporters.'
    )
    assert speaker_of(text, "unfit to run the port") == "Ana Ortiz"


def test_it_is_never_a_group_of_people() -> None:
    text = (
        "The Harbour Board met on Monday. Ana Ortiz and Ben Lutz said the fares were too high. "
        "It said the ferry would run again."
    )
    assert speaker_of(text, "fares were too high") == "Ana Ortiz and Ben Lutz"
    assert speaker_of(text, "ferry would run again") != "Ana Ortiz and Ben Lutz"


def test_a_month_before_a_document_is_not_its_maker() -> None:
    text = "Ortiz led in the March survey by the Harbour Institute. The April survey showed Lutz ahead."
    assert speaker_of(text, "Lutz ahead") != "April"


def test_the_study_may_be_a_meta_analysis_named_before() -> None:
    # "The study" after "A meta-analysis of ... trials published in ...", a kind of study whose
    # maker the page never gives: that meta-analysis, not the body in view
    text = (
        "The Harbour College of Sports Medicine says adults should aim for 150 minutes of exercise "
        "a week. A meta-analysis of randomized controlled trials published in the Harbour Journal in "
        "2016 found that exercise reduced symptoms of depression. The study showed that exercise was "
        "as effective as other treatments."
    )
    speaker = speaker_of(text, "as effective as other treatments")
    assert speaker is not None and "meta-analysis of randomized controlled trials" in speaker


def test_a_noun_cue_with_no_source_speaks_for_its_owner() -> None:
    # a noun cue the tagger gave no source ("the public's distrust of the council"): the owner
    # holds the view, not the person named last before it in the sentence
    doc = shared_model()("Ana Ortiz may gain from the public's distrust of the council.")
    cue = next(t for t in doc if t.text == "distrust")
    clusters, token_map = build_entities(doc)
    found = SpeakerResolver(doc, clusters, token_map).implicit(cue.i)
    assert found is not None and clusters[found].name == "the public"
    assert (doc[5].idx, doc[6].idx + len(doc[6])) in clusters[found].mentions


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Speaker Ben Lutz was absent from his home state last week. He visited Prime Minister Tom "
            "Reyes in Dover, where he also told local reporters that the harbour would stay open.",
            "Ben Lutz",
            id="he-then-he",
        ),
        pytest.param(
            "Speaker Ben Lutz was absent from his home state last week. He visited Prime Minister Tom "
            'Reyes in Dover. "He has been a friend," Reyes said, "and he told local reporters that the '
            'harbour would stay open."',
            "Tom Reyes",
            id="not-across-a-quotation-mark",
        ),
    ],
)
def test_a_pronoun_after_the_sentence_s_subject_pronoun_is_the_same_person(text: str, speaker: str) -> None:
    # "He visited Tom Reyes in Dover, where he also told reporters": the second "he" is whom the
    # first stands for, not the man named between them
    assert speaker_of(text, "harbour would stay open") == speaker

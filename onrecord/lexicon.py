"""The lexicon every stage reads: cue words, honorifics and titles, pronouns, role and gendered
nouns (ground floor: imports nothing of onrecord's).

Cues are verbs (by lemma) and phrases that introduce attributed content.

``SPEECH_VERBS`` follows the speech-verb lists used in quote extraction (GenderGapTracker's
~250 verbs, citron's cue list); ``BELIEF_VERBS`` and ``INTENT_VERBS`` add PolNeAR's broader
attribution cues (beliefs, findings, intentions), used only with a clausal complement so that
precision holds.
"""

from __future__ import annotations

SPEECH_VERBS = frozenset(
    """
    say tell add state write declare announce explain argue claim insist maintain assert contend
    note observe remark comment report reveal disclose confirm deny admit acknowledge concede
    warn caution predict promise pledge vow swear vouch guarantee assure reassure
    suggest propose recommend urge plead appeal demand request ask inquire enquire query question
    reply respond answer retort counter rebut object protest complain grumble lament moan
    boast brag joke quip tease mock jibe scoff sneer taunt
    shout yell scream cry exclaim whisper mutter murmur mumble stammer stutter sigh gasp
    describe characterize characterise portray recount recall recollect relate narrate
    tweet post blog text email telephone phone message publish print broadcast air
    emphasize emphasise stress underscore underline highlight reiterate repeat echo restate
    point mention cite quote allege accuse charge blame criticize criticise condemn denounce
    slam blast attack lash hit rip knock chide scold rebuke reprimand berate castigate
    praise hail laud applaud commend congratulate thank welcome salute celebrate
    agree disagree dispute contest challenge contradict refute reject dismiss
    concur affirm aver avow attest testify certify verify swear
    conclude summarize summarise sum reckon estimate calculate
    continue muse opine speculate theorise theorize hypothesize posit surmise
    signal indicate imply hint intimate insinuate
    inform notify advise brief update tell instruct order command direct
    reason explain elaborate clarify specify detail outline
    remind recall caution forewarn alert
    admit confess divulge leak disclose
    vent rant rail fume seethe snap bark growl roar thunder
    muse ponder wonder
    interject interrupt chime
    declare proclaim pronounce decree rule
    retract recant
    """.split()
)

BELIEF_VERBS = frozenset(
    """
    think believe feel fear worry hope expect anticipate assume presume suppose suspect
    know realize realise understand recognize recognise see consider doubt imagine guess
    find show demonstrate prove establish determine discover learn conclude judge deem
    decide acknowledge accept figure trust bet wish
    """.split()
)

INTENT_VERBS = frozenset(
    """
    want plan intend aim seek vow promise pledge threaten refuse decline offer agree call urge
    ask demand push press encourage invite
    """.split()
)

# Verbs whose infinitival complement (xcomp) is attributed content: "vowed to repeal".
XCOMP_CUES = frozenset(
    "promise pledge vow threaten refuse decline offer agree plan intend want hope seek urge ask call "
    "propose suggest recommend consider deny admit".split()
)

#: What someone wrote or said at length: "her memoir says" is its author speaking.
WRITING_NOUNS = frozenset(
    "book memoir account letter tweet post column op-ed essay speech remarks diary autobiography email e-mail".split()
)
#: Documents that speak for whoever made them: "the report found", "a study by X shows".
DOCUMENT_NOUNS = frozenset(
    """report study survey poll analysis data document paper website site statement memo review audit
    research findings slide presentation chart""".split()
)

# Nouns that head attributed content with a that-clause: "his claim that ...".
NOUN_CUES = frozenset(
    """
    claim statement assertion argument suggestion warning promise pledge vow allegation accusation
    charge insistence belief view fear hope admission acknowledgment acknowledgement denial
    prediction remark comment contention conclusion finding report announcement declaration
    support opposition criticism call calls plan proposal decision demand pledge threat refusal
    praise endorsement attack attacks insistence complaint concern
    """.split()
)
# Prepositions that introduce a noun cue's content: "support for X", "opposition to X".
NOUN_CUE_PREPS = frozenset("for to of about against on".split())


# Cues strong enough to carry a direct quotation with no clausal complement in the parse.
QUOTE_CUES = SPEECH_VERBS | frozenset({"think", "believe", "feel", "write", "ask", "add"})

# Lemmas that are too generic without a complement clause: they only cue with ccomp.
WEAK_CUES = frozenset("see know find show continue hit point learn decide figure".split())

# Nouns naming a channel, venue or document a statement was made in or on.
MEDIUM_NOUNS = frozenset(
    """
    statement letter interview post tweet tweets op-ed oped column editorial article essay memo
    email e-mail message speech address remarks press conference briefing release report filing
    broadcast program programme show podcast radio television tv video livestream stream
    blog book memoir paper note affidavit testimony hearing debate rally appearance
    facebook twitter instagram tiktok youtube linkedin threads bluesky snapchat telegram whatsapp
    x truth social media platform site website page account newsletter documentary
    conference discussion panel meeting dinner gala convention summit forum ceremony event
    town-hall hall luncheon breakfast session roundtable hearing testimony address sermon
    essay missive dispatch filing lawsuit complaint book memoir
    """.split()
)

# Prepositions that introduce a medium: "in a statement", "on X", "during an interview".
MEDIUM_PREPS = frozenset("in on during via through at over".split())

# Head words and names of news outlets: "told The Liverpool Echo" names a medium, not an addressee.
OUTLET_WORDS = frozenset(
    """
    news times post journal echo guardian telegraph mail herald tribune gazette chronicle observer
    independent mirror sun express standard star examiner inquirer record register press
    magazine newspaper radio tv television channel network podcast show broadcast programme program
    sunday today tonight live daily weekly monitor review report reuters bloomberg politico axios
    globe courier sentinel bulletin enquirer yorker newsweek
    """.split()
)
KNOWN_OUTLETS = frozenset(
    """
    bbc itv lbc sky cnn nbc abc cbs msnbc fox npr pbs c-span cnbc ap afp reuters bloomberg politico
    axios breitbart huffpost buzzfeed vox slate salon vice gb rte rté aljazeera al-jazeera
    """.split()
)

# Verbs whose direct object is the attributed content: "cited criticism of X",
# "attacked Trump", "called for a new probe", "described her as ...".
OBJECT_CUES = frozenset(
    """
    cite attack criticize criticise praise support oppose endorse propose bemoan decry reject deny
    condemn defend blame accuse question dismiss welcome back applaud slam blast denounce announce
    reveal disclose mention call describe urge demand request predict recommend acknowledge admit
    dispute challenge lament tout highlight express hail laud commend thank mock ridicule
    reveal offer charge show
    """.split()
)

CUE_VERBS = SPEECH_VERBS | BELIEF_VERBS | INTENT_VERBS | OBJECT_CUES


# -- Names: honorifics and titles --------------------------------------------------------------

#: Generational suffixes that end a name: "Ray Cole Jr." is another person than Ray Cole.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

# Words that precede a name without being part of it. Titles that describe a role
# ("President", "Senator") also become descriptions of the entity.
HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. miss mx dr dr. prof prof. sir dame lord lady baroness baron rev rev. "
    "reverend fr fr. st".split()
)
TITLES = frozenset(
    """
    prime deputy acting former vice interim
    president vice-president vp sen sen. senator rep rep. representative gov gov. governor mayor
    secretary minister chancellor premier pm judge justice gen gen. general col col. capt capt.
    adm adm. admiral sgt sgt. lt lt. officer chief commissioner ambassador attorney speaker leader
    king queen prince princess pope cardinal bishop rabbi imam sheikh councillor councilor
    congressman congresswoman councilman councilwoman detective inspector superintendent
    archbishop chairperson chairman chairwoman coach pastor ag
    founder co-founder cofounder ceo chef editor director designer producer dietitian nutritionist
    analyst economist professor
    pres pres. maj maj. cmdr cmdr. brig brig. det det. insp insp. supt supt. const const. atty atty.
    amb amb. ald ald. hon hon. msgr msgr. cpl cpl. pvt pvt.
    """.split()
)

#: Honorifics that say a person's gender ("Ms Ortiz", "Sir Ben").
FEMALE_HONORIFICS = frozenset(
    {"mrs", "ms", "miss", "dame", "lady", "baroness", "queen", "princess", "congresswoman"}
)
MALE_HONORIFICS = frozenset({"mr", "sir", "lord", "baron", "king", "prince", "congressman"})

#: Nouns that describe a person: beside a name the tagger took for an organisation ("bestselling
#: author Dinesh Rao", "Priya Vance, a registered dietitian"), they say it is a person's.
PERSON_NOUNS = TITLES | frozenset(
    """
    author writer novelist poet journalist reporter editor columnist correspondent commentator
    professor researcher scientist scholar historian economist analyst strategist pollster expert
    doctor physician surgeon nurse dietitian nutritionist therapist psychologist psychiatrist
    lawyer teacher student coach trainer player athlete actor actress singer musician artist
    designer chef founder co-founder ceo executive director manager owner entrepreneur investor
    activist advocate campaigner consultant spokesman spokeswoman spokesperson official candidate
    man woman mother father son daughter wife husband resident veteran host presenter
    solicitor barrister counsel publicist agent accountant
    """.split()
)


# -- Pronouns ----------------------------------------------------------------------------------

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})

#: Pronouns a person is referred to by, with the gender each says.
PERSON_PRONOUNS = {
    "he": "male",
    "him": "male",
    "his": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
}
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})

#: The entity tagger's labels for people, and for organisations, groups and places that speak.
PERSON_LABELS = frozenset({"PERSON"})
ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})
THING_PRONOUNS = frozenset({"it", "its"})
#: Pronouns that open a relative clause (the attribution rules add "whom").
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
#: The first person ("I said", "we told"); relations add the possessives "my", "our".
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
FIRST_PERSON_POSSESSIVES = frozenset({"my", "our"})


# -- Role nouns --------------------------------------------------------------------------------

# Heads of definite descriptions that in news refer back to a named person ("the senator").
ROLE_NOUNS = frozenset(
    """
    senator congressman congresswoman representative lawmaker governor mayor president candidate
    nominee front-runner frontrunner runner incumbent challenger minister secretary chairman
    chairwoman chair leader businessman businesswoman billionaire mogul tycoon executive ceo founder
    director economist professor mp premier chancellor prosecutor
    judge general commander actor actress singer star author entrepreneur developer investor
    lawmaker doctor physician attorney lawyer host anchor spokesman spokeswoman spokesperson
    """.split()
)


# -- Gendered nouns ----------------------------------------------------------------------------

#: The resolver's gendered nouns: a description that says whom a pronoun can stand for.
GENDERED_NOUNS = {
    **dict.fromkeys(
        "woman mother daughter wife sister girl lady grandmother widow actress businesswoman".split(),
        "female",
    ),
    **dict.fromkeys(
        "man father son husband brother boy gentleman grandfather widower actor businessman".split(), "male"
    ),
}
#: Family nouns: "X's daughter" is another person of X's surname, of this gender.
FAMILY_NOUNS = {
    **dict.fromkeys(
        "mother daughter wife sister grandmother granddaughter widow aunt niece".split(), "female"
    ),
    **dict.fromkeys("father son husband brother grandfather grandson widower uncle nephew".split(), "male"),
}
#: The gender evidence's nouns (``onrecord.resolve.gender_evidence``), a fuller list.
FEMALE_NOUNS = frozenset(
    """woman women mother daughter wife sister girl lady grandmother granddaughter widow aunt
    niece actress businesswoman spokeswoman chairwoman congresswoman councilwoman assemblywoman
    stateswoman sportswoman policewoman anchorwoman heiress duchess princess queen empress
    baroness countess mom mum grandma girlfriend fiancee stepmother stepdaughter nun""".split()
)
MALE_NOUNS = frozenset(
    """man men father son husband brother boy gentleman grandfather grandson widower uncle
    nephew actor businessman spokesman chairman congressman councilman assemblyman alderman
    statesman sportsman policeman anchorman duke prince king emperor baron count dad grandpa
    boyfriend fiance stepfather stepson""".split()
)
#: Two-word gendered nouns ("first lady").
FEMALE_PHRASES = ("first lady",)
MALE_PHRASES = ("first gentleman",)

#: Family nouns weigh as a pronoun: an apposition put on the wrong name ("her son, Tom") is
#: their usual error.
GENDER_FAMILY_NOUNS = frozenset(
    "mother daughter wife sister father son husband brother grandmother grandfather grandson granddaughter".split()
)
#: So do the plain nouns, as descriptions ("the man who ..." hung on the wrong name).
PLAIN_NOUNS = frozenset("man woman boy girl lady gentleman men women".split())


# -- For the evaluation and the relations --------------------------------------------------------

_MATCH_HONORIFICS = """
mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron rev reverend
sen senator gov governor rep representative congressman congresswoman
president vice vp secretary minister mayor gen col colonel capt captain lt sgt adm admiral
hon honorable honourable jr sr ii iii iv
"""
#: Titles, honorifics and suffixes the evaluation drops before comparing names (casefolded, without the dot).
MATCH_HONORIFICS = frozenset(_MATCH_HONORIFICS.split())

#: Verbs under which a clause is asserted by their subject ("he suggested X ought to ..."): who
#: holds a stance found inside it (``onrecord.relate``).
ASSERTING_VERBS = frozenset(
    "say tell add suggest claim argue write insist warn note state explain declare contend "
    "believe think maintain complain allege".split()
)

"""The cue lexicon: verbs (by lemma) and phrases that introduce attributed content.

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

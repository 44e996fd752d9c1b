"""Word lists the matcher relies on: stop words, role aliases and cross-language concepts.

All words are folded (lower case, no accents) because matching runs on folded text. This is
linguistic data for the matcher, not copy shown to users, so it lives beside the code.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words of both languages, dropped before matching. "when", "why" and "combien" are
# not here: they separate "who owns X" from "when should we hire" or "why does it matter".
# The company's words for itself ("boîte", "entreprise") are here too: every question is about
# the company, and "who owns the company car?" must not look like a question about it.
STOPWORDS = _words(
    """
    a an the of to and or but for with in on at by from into about as if so than then
    is are was were be been being am do does did doing done have has had having get got
    i me my we us our you your he she they them their it its this that these those there here
    can could would should will shall may might must let just also too very really please
    hey hi hello bot thanks any some all one s t d ll re ve m go out up
    le la les l un une des du de d au aux et ou mais donc car ni ce cet cette ces c ca qu que
    est sont etre ete a as ai avons avez ont suis es sera il elle ils elles on nous vous je j
    tu te me m se s mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs y en dans
    sur sous pour par avec chez vers ne n pas plus peut peuvent doit doivent bien tout toute
    avoir
    exactly actually basically concretely precisely typically usually generally
    currently still even ever always only ok okay so well
    exactement concretement vraiment precisement actuellement toujours encore seulement juste
    alors
    company companies entreprise entreprises boite boites societe firm
    pls plz svp stp thx ty btw fyi tbh imo lol mdr haha ici bonjour salut coucou yo merci
    cheers tia dites hola
    because while during through over under off down upon via like within against among
    around across along though although unless until whether either neither whatever whoever
    im ive id youre theyre
    lequel laquelle lesquels lesquelles si comme aussi tres trop cela ceci celui celle
    ceux celles chaque tous toutes afin ainsi puis lorsque lorsqu pendant depuis selon sauf
    parmi malgre contre voici voila oui non moi toi eux inside tant moins
    """
)

# Aliases rewritten to one token before tokenising, so that every spelling of a role or a
# multi-word term meets the same token. Patterns run on folded text.
_VP = r"v\.?\s?p\.?"
_ENG = r"(?:engineering|engineer|eng|ingenierie|ingenieur)"
_OF = r"(?:of\s+|de\s+l'\s*|de\s+|d'\s*|-\s*)?(?:the\s+)?"
_ART = r"(?:the\s+|le\s+|la\s+|a\s+|un\s+)?"
PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), f" {token} ")
    for pattern, token in (
        # Slack shorthand, first so that every rule below sees the full word: "mgr", "engs",
        # "ppl", "3-5 yrs", "w/o"; French "qd", "pb", "bcp", "jsp", "tjrs", "mtn".
        (r"\byrs\b", "years"),
        (r"\byr\b", "year"),
        (r"\bmgrs\b", "managers"),
        (r"\bmgr\b", "manager"),
        (r"\bmgmt\b", "management"),
        (r"\bengs\b", "engineers"),
        (r"\bppl\b", "people"),
        (r"\bw/o\b", "without"),
        (r"\bsr\b", "senior"),
        (r"\bjr\b", "junior"),
        (r"\bprios?\b", "priorities"),
        (r"\bhc\b", "headcount"),
        (r"\bmtgs?\b", "meeting"),
        (r"\bqd\b", "quand"),
        (r"\bds\b", "dans"),
        (r"\b(?:pbs?|pbms?|pblms?)\b", "probleme"),
        (r"\bbcp\b", "beaucoup"),
        (r"\b(?:pcq|pck|psk|paske)\b", "parce que"),
        (r"\b(?:tjs|tjrs)\b", "toujours"),
        (r"\b(?:mtn|mnt)\b", "maintenant"),
        (r"\breus?\b", "reunion"),
        (r"\bptet\b", "peut etre"),
        (r"\b(?:chui|jsuis)\b", "je suis"),
        # "does anyone know who...", "qqn sait qui...", "jsp qui...": asking around is the
        # frame, not the topic.
        (
            r"\b(?:does\s+|do\s+)?(?:any(?:one|body)|some(?:one|body)|y'?all)\s+knows?\b"
            r"|\b(?:idk|dunno)\b|\bi\s+(?:do\s*n'?t|dont)\s+know\b|\bnot\s+sure\b"
            r"|\b(?:qq(?:n|1|un)|quelqu'?\s*un)\s+(?:sait|saurait)\b|\b(?:savez|sais)[\s-](?:vous|tu)\b"
            r"|\bje\s+(?:ne\s+)?sais\s+(?:pas|plus)\b|\bjsp\b",
            " ",
        ),
        # "à quoi bon un VPE ?" asks what it is worth ("bon" is not "good" here).
        (r"\ba\s+quoi\s+bon\b", "worth"),
        # A span of years ahead: "in 3-5 years", "d'ici 3 à 5 ans".
        (r"\b\d+\s*(?:-|to|a|/)\s*(\d+\s+(?:years|ans))\b", r"\1"),
        (rf"\b{_VP}\s*{_OF}{_ENG}\b", "vpe"),
        (rf"\bvice[\s-]*presi?dente?\s*{_OF}{_ENG}\b", "vpe"),
        (r"\b(?:vpoe|vpe|vpeng|vp\s?oe)\b", "vpe"),
        (r"\bchief\s+tech\w*\s+officer\b", "cto"),
        (r"\bdirect(?:eur|rice)\s+(?:de\s+la\s+|des\s+)?(?:technique|tech|technologies?)\b", "cto"),
        (r"\bdir\s*tech\b", "cto"),
        (r"\bchief\s+executive(?:\s+officer)?\b|\bpdg\b|\bdirect(?:eur|rice)\s+generale?\b", "ceo"),
        (r"\bchief\s+financial\s+officer\b|\bdaf\b|\bdirect(?:eur|rice)\s+financier", "cfo"),
        (r"\bproduct\s+(?:managers?|owners?)\b|\bchefs?\s+de\s+produits?\b", "pm"),
        (r"\bhead\s+of\s+product\b|\bchief\s+product\s+officer\b", "cpo"),
        (r"\bems\b|\bem\b", "manager"),  # engineering manager
        # "the CTO or the VPE?" offers a choice: the roles frame the question, the area decides.
        (rf"\b{_ART}(?:cto|vpe)\s+(?:or|ou)\s+{_ART}(?:cto|vpe)\b", "eitherrole"),
        # "the VPE's job or the CTO's?", "est-ce au CTO (ou au VPE) de ...": the roles are the
        # candidate owners and the topic comes with the rest of the question.
        (
            rf"\b(?:cto|vpe)\s*(?:'s)?(?:\s+(?:job|role|responsibility|call))?\s+(?:or|ou)\s+"
            rf"(?:{_ART}|au\s+|du\s+)(?:cto|vpe)\b\s*(?:'s)?",
            "eitherrole",
        ),
        (
            r"\b(?:au|du)\s+(?:cto|vpe)\s+(?:ou\s+(?:au|du)\s+(?:cto|vpe)\s+)?(?:de\b|d')",
            "eitherrole",
        ),
        # "is code review a CTO decision?", "is hiring the VPE's job?", "c'est le rôle du VPE ?",
        # "c'est le CTO qui décide ?": the role is offered as the owner of a topic named
        # elsewhere in the question ("what's the VPE's job?" keeps its role: no "is").
        (
            r"\b(is|are|isn't)\s+([^?]{1,60}?)\s+(?:a|an|the|our)\s+(?:cto|vpe)\s*(?:'s)?\s+"
            r"(?:responsibility|job|thing|call|decision|task|problem|remit|role|area|domain)\b",
            r"\1 \2 eitherrole",
        ),
        (
            r"\bc'\s*est\s+(?:le|la|du|au)?\s*(?:role|job|boulot|travail|taf|responsabilite|affaire"
            r"|ressort|domaine)\s+du\s+(?:cto|vpe)\b|\bc'\s*est\s+(?:le|au)\s+(?:cto|vpe)\s+qui\b"
            r"|\bune\s+decision\s+du\s+(?:cto|vpe)\b",
            "eitherrole",
        ),
        # "is recruiting owned by the CTO?", "le recrutement est-il porté par le VPE ?".
        (
            r"\b(?:owned|handled|run|led|driven|managed|decided|done|covered)\s+by\s+(?:the|a|our)\s+"
            r"(?:cto|vpe)\b|\b(?:porte|gere|pilote|fait|decide|assure|pris\s+en\s+charge)e?s?\s+par\s+"
            r"(?:le|un|notre)\s+(?:cto|vpe)\b",
            "eitherrole",
        ),
        # "who do the team leads report to?" asks who manages them, not about reporting lines.
        (r"\bwho\s+(?:do|does|should)\s+((?:\w+\s+){1,4}?)report\s+to\b", r"who manages \1"),
        (r"\ba\s+qui\s+report(?:e|ent)\b", "qui manage"),
        (
            r"\b(?:who|which(?:\s+role|\s+one)?)\s+does\s+what\b|\b(?:qui|lequel)\s+fait\s+quoi\b",
            "whodoeswhat",
        ),
        (r"\br\s*&\s*d\b|\br\s+et\s+d\b", "rnd"),
        (r"\bone[\s-]*(?:on|to)[\s-]*ones?\b|\b1\s*(?::|-|on|to)\s*1s?\b", "oneonone"),
        (r"\bmises?\s+en\s+prod(?:uction)?s?\b", "release"),
        (r"\blevees?\s+de\s+fonds?\b|\btours?\s+de\s+table\b", "fundraise"),
        (r"\bfund[\s-]?rais\w*\b|\bfund(?:ing)?\s+rounds?\b", "fundraise"),
        (r"\bconseil\s+d'\s*admin(?:istration)?\b", "board"),
        # "présenter au CA", "le CA veut...": the board ("du CA" is more often revenue).
        (r"\b(?:au|le)\s+ca\b(?!\s+(?:a|de|du|des|est|sera)\s)", "board"),
        (r"\bportes?[\s-]+paroles?\b", "spokesperson"),
        (r"\bscale[\s-]+ups?\b", "scaleup"),
        (r"\bstart[\s-]+ups?\b", "startup"),
        (r"\btech(?:nical)?\s+debt\b|\bdettes?\s+tech\w*\b", "techdebt"),
        (r"\bdue\s+dil\w*\b", "duediligence"),
        (r"\bmanagers?\s+(?:of|de)\s+managers?\b", "managerofmanagers"),
        (r"\borg(?:ani[sz]ation(?:al)?)?\s+charts?\b|\borganigrammes?\b", "orgchart"),
        (r"\bfeuilles?\s+de\s+route\b", "roadmap"),
        (r"\bcode\s+reviews?\b|\brevues?\s+de\s+code\b", "codereview"),
        (r"\bperformance\s+reviews?\b|\bentretiens?\s+annuels?\b", "perfreview"),
        (r"\bdefinition\s+of\s+done\b", "dod"),
        (
            r"\bday[\s-]+to[\s-]+day\b|\b(?:au\s+)?quotidien\w*\b|\beveryday\b|\ball\s+day\b"
            r"|\btoute\s+la\s+journee\b",
            "daily",
        ),
        (
            r"\bveilles?\s+(?:tech\w*|techno\w*)\b|\btech(?:nology)?\s+watch\b"
            r"|\b(?:fait|faire|font|assure|assurer)\s+(?:de\s+)?la\s+veille\b",
            "techwatch",
        ),
        (r"\blong[\s-]+term(?:e)?\b", "longterm"),
        (
            r"\b(?:in|within)\s+(?:a\s+few|\d+|two|three|five|ten)\s+years\b"
            r"|\b(?:next|coming)\s+(?:few\s+)?years\b|\bdans\s+(?:quelques|\d+|deux|trois|cinq|dix)\s+ans\b"
            r"|\bprochaines\s+annees\b|\bannees\s+a\s+venir\b",
            "longterm",
        ),
        (r"\breport(?:s|ing)?\s+(?:to|lines?)\b|\breport(?:e|ent)\s+a\b", "reportline"),
        (r"\bliens?\s+hierarchiques?\b", "reportline"),
        (r"\bqualit(?:ies|es)\b", "traits"),  # plural: a person's qualities, not software quality
        (r"\bboard\s+of\s+directors\b", "board"),
        (r"\bproofs?\s+of\s+concepts?\b", "poc"),
        (r"\btake\s+over\b|\bprend(?:re)?\s+la\s+place\b|\ba\s+la\s+place\b", "replace"),
        (r"\ben\s+place\b|\bin\s+place\b", " "),  # "once one is in place": not "replace"
        (r"\bmontee\s+en\s+competences?\b|\bup[\s-]?skill\w*\b", "upskilling"),
        (r"\bsigns?\s+off\b", "approves"),
        (r"\bcareers?\b", "careerpath"),
        (
            r"\bmontees?\s+(?:de|en)\s+niveaux?\b|\blevel(?:ing|s)?\s+up\b",
            "promotion",
        ),  # "career" would stem to "care" ("take care of")
        (r"\bjob\s+offers?\b|\boffres?\s+d'\s*emploi\b|\boffres?\s+d'\s*embauche\b", "hire"),
        (r"\btalent\s+acquisition\b|\bacquisition\s+de\s+talents?\b", "hire"),
        (r"\bon[\s-]+call\b", "oncall"),
        (r"\bearly[\s-]+stage\b|\bseed[\s-]+stage\b", "earlystage"),
        (r"\bmicro[\s-]+services?\b", "microservices"),
        # "who has the final say / le dernier mot": a way of asking who decides.
        (r"\b(?:the\s+)?(?:last|final)\s+(?:word|say|call)\b|\ble\s+dernier\s+mot\b", "decides"),
        (r"\bpush(?:es|ed|ing)?\s+out\b|\bstands?\s+in\s+for\b", "replace"),
        (
            r"\blos(?:e|es|ing)\s+(?:their|his|her|its|the)\s+(?:job|role|place|seat|title)\b"
            r"|\bperd(?:re|ra)?\s+(?:son|sa)\s+(?:poste|place|role|job|titre)\b"
            r"|\bprend(?:re|ra)?\s+le\s+(?:poste|role|job|titre)\b",
            "replace",
        ),
        (
            r"\bbecomes?\s+the\s+new\s+cto\b|\bdevien(?:t|dra)\s+(?:le\s+)?nouveau\s+cto\b",
            "replace cto",
        ),
        (r"\b(?:one|single|same)\s+person\b|\bune\s+(?:seule\s+)?personne\b", "oneperson"),
        (r"\bmeme\s+personne\b", "oneperson"),
        (
            r"\bwhat\s+happens\s+(?:to\s+(?:the|our|us)\s*\w*\s+)?(?:if|when|without)\b"
            r"|\bque\s+se\s+passe[\s-]+t[\s-]+il\b",
            "consequence",
        ),
        (r"\bwork(?:s|ing)?\s+(?:as\s+a\s+team|hand\s+in\s+hand)\b", "together"),
        (r"\bhands[\s-]+on\b", "coding"),
        (r"\ba\s+temps\b", "ontime"),
        (r"\binstead\s+of\s+(?:a\s+|an\s+|the\s+|our\s+)?(?=cto|vpe)|\bau\s+lieu\s+d", "replace"),
        (r"\bbras\s+droits?\b|\bright[\s-]+hand\b", "deputy"),
        (r"\bjob\s+descriptions?\b|\bfiches?\s+de\s+postes?\b", "duties"),
        (r"\bvau[tx]\s+(?:le|la)\s+(?:coup|peine)\b", "worth"),
        (r"\bcharges?\s+de\s+travail\b", "workload"),
        (r"\btoo\s+early\b|\btrop\s+tot\b", "timing"),
        (r"\bon\s+(?:time|schedule|track)\b|\bdans\s+les\s+(?:temps|clous)\b", "ontime"),
        (r"\bout\s+the\s+door\b", "ship"),
        (r"\bkeeps?\s+an\s+eye\s+on\b|\bkeeping\s+an\s+eye\s+on\b", "oversee"),
        (
            r"\bways?\s+(?:of\s+working|we\s+work|the\s+teams?\s+works?)\b|\bhow\s+we\s+work\b"
            r"|\b(?:facons?|manieres?|methodes?)\s+de\s+(?:travailler|travail|bosser)\b",
            "waysofworking",
        ),
        (r"\bbring(?:s|ing)?\s+(?:in|on|aboard)\b", "hire"),  # "bring in a VPE"
        # "looking for a VPE" is hiring one; "what to look for in a VPE" is the profile.
        (
            r"\blook(?:s|ing)?\s+for\s+(?:a|an|our)\s+(?=vpe|cto)"
            r"|\bchercher\s+(?:un|une|notre)\s+(?=vpe|cto)",
            "hire ",
        ),
        (r"\blook(?:s|ing)?\s+for\b", "seek"),  # not "look after" (a frame word)
        # "don't", "doesn't", "isn't"...: one word for the negation.
        (
            r"\b(?:do|does|did|is|are|was|were|wo|would|should|could|have|has|had|ca)n'?t\b"
            r"|\b(?:dont|doesnt|didnt|isnt|arent|wont|wouldnt|shouldnt|couldnt|cant)\b",
            "not",
        ),
        # Who is asking is context, not topic: "as CEO, ...", "en tant que fondateur, ...".
        (
            r"\b(?:as|en\s+tant\s+que|i'?m|i\s+am|je\s+suis)\s+(?:an?\s+|the\s+|le\s+|la\s+|un\s+|une\s+)?"
            r"(?:ceo|cfo|coo|cpo|founder|co-?founder|fondateur|fondatrice|cofondateur|pm)\b",
            " ",
        ),
        # "which role / which leader / lequel des deux / quel dirigeant" asks who.
        (
            r"\bwhich\s+(?:role|leader|executive|exec|person|one|of\s+the\s+(?:two|roles|leaders))\b"
            r"|\bwho\s+among\s+(?:the\s+)?(?:two|cto)\b",
            "who",
        ),
        (
            r"\blequel\s+des\s+deux\b|\bquel(?:le)?\s+(?:role|dirigeante?|responsable|leader|poste)\b"
            r"(?!\s+(?:pour|d'|de|du))",
            "qui",
        ),
        (
            r"\bse\s+march\w*\s+dessus\b"
            r"|\bstep(?:s|ping)?\s+on\s+(?:each\s+other|one\s+another)(?:'?s?\s+toes)?",
            "friction",
        ),
        (r"\bjournees?\b|\bdays?\s+to\s+days?\b", "daily"),
        # Fillers around the question: "out of curiosity", "asking for a friend", "du coup".
        (
            r"\b(?:out\s+of|par)\s+curiosit[ye]\b|\basking\s+for\s+a\s+friend\b|\bdu\s+coup\b"
            r"|\b(?:in|for)\s+(?:our|my)\s+case\b|\bdans\s+(?:notre|mon)\s+cas\b"
            r"|\bmerci\s+d'\s*avance\b|\bthanks?\s+in\s+advance\b|\bhonest\s+question\b",
            " ",
        ),
        # Openers: "petite question :", "quick q", "dumb question but".
        (
            r"\b(?:petite|small|quick|little|dumb|silly|stupid)\s+(?:question|q)\b"
            r"|\bquestions?\s+(?:bete|idiote|rapide|naive|con)\b",
            " ",
        ),
        # Greetings to the channel: "hi team", "bonjour à tous", "hello everyone".
        (
            r"^\s*(?:hi|hey|hello|salut|bonjour|coucou|yo|morning)\s*,?\s+(?:team|all|everyone|folks"
            r"|guys|people|tout\s+le\s+monde|a\s+tous|l'\s*equipe|la\s+team)\b",
            " ",
        ),
        # Slack shorthand for question words ("c ki", "cki", "pk", "whos").
        (r"\b(?:cki|ki)\b", "qui"),
        (r"\bkoi\b", "quoi"),
        (r"\b(?:pq|pk|pourkoi)\b", "pourquoi"),
        (r"\bwhos\b", "who"),
        # Asking whom to turn to is asking who owns it: "who do I talk to about...",
        # "à qui s'adresser pour...", "vers qui se tourner quand...".
        (
            r"\bwho\s+(?:do|should|can|could|would|must)\s+(?:i|we|you|people|one)\s+"
            r"(?:talk|speak|go|turn|reach\s+out|escalate|ask|complain|ping)(?:\s+to)?\b",
            "who",
        ),
        (
            r"\b(?:a|vers)\s+qui\s+(?:je\s+|on\s+|doit[\s-]on\s+|dois[\s-]je\s+|faut[\s-]il\s+)?"
            r"(?:m'\s*|s'\s*|me\s+|se\s+|nous\s+)?(?:adress|tourn|demand|parl|escalad|remont)\w*",
            "qui",
        ),
        (
            r"\b(?:go[\s-]?to|point)\s+(?:person|people|guy|contact)\b|\bpoint\s+of\s+contact\b"
            r"|\bperson\s+(?:responsible|in\s+charge)\b|\bdri\b|\breferent(?:e|es|s)?\b"
            r"|\binterlocut\w*\b|\bpersonne\s+(?:responsable|en\s+charge|de\s+reference)\b",
            "owner",
        ),
        (r"\bcalls?\s+the\s+shots\b|\b(?:a|ont|avoir)\s+la\s+main\s+sur\b", "decides"),
        (
            r"\b(?:gets?|takes?|carr(?:y|ies))\s+the\s+blame\b|\bto\s+blame\b|\bblamed?\b"
            r"|\bporte(?:r)?\s+le\s+chapeau\b",
            "accountable",
        ),
        (r"\bwell[\s-]?being\b|\bbien[\s-]?etre\b", "wellbeing"),
        (
            r"\b(?:can'?t|cannot|not)\s+stand\s+(?:each\s+other|one\s+another)\b"
            r"|\bne\s+se\s+(?:supportent|parlent)\s+(?:plus|pas)\b",
            "conflict",
        ),
        # "where our tech should be in 2028": a year ahead is the long view.
        (r"\b(?:in|by|for|en|d'\s*ici|pour)\s+20[2-4]\d\b", "longterm"),
        (r"\bget(?:s|ting)?\s+along\b|\bs'\s*entend(?:re|ent)?\b|\bclash\w*\b", "conflict"),
        (r"\bgo(?:es|ing)?\s+wrong\b|\bmal\s+tourn\w*\b|\btourn\w*\s+mal\b|\bva\s+mal\b", "risk"),
        (
            r"\bpush(?:ed|es)?\s+aside\b|\bmise?s?\s+(?:sur\s+la\s+touche|a\s+l'\s*ecart|au\s+placard)"
            r"|\bon\s+the\s+sidelines?\b|\bsert\s+encore\b|\bstill\s+(?:needed|useful|relevant)\b",
            "replace",
        ),
        (
            r"\bra(?:ise|ises|ising|ised)\s+(?:money|funds|capital|cash|a\s+round|our\s+\w+\s+round)\b"
            r"|\b(?:we|we're|we\s+are)\s+raising\b|\bwhen\s+we\s+raise\b"
            r"|\blev(?:e|es|er|ons|ent|ait)\s+(?:des\s+fonds|de\s+l'\s*argent|du\s+cash|du\s+capital)\b",
            "fundraise",
        ),
        (
            r"\bprofessional\s+(?:development|growth)\b|\bdeveloppement\s+professionnel\b"
            r"|\bgrowth\s+paths?\b",
            "careerpath",
        ),
        (r"\bdirect\s+reports?\b|\breports?\s+directs?\b|\bsubordonnes?\b", "span"),
        (
            r"\bjob\s+(?:ads?|posts?|postings?|listings?|adverts?)\b"
            r"|\bannonces?\s+(?:d'\s*emploi|de\s+recrutement)\b",
            "hire",
        ),
        (r"\bpull[\s-]?requests?\b|\bmerge[\s-]?requests?\b|\bprs\b", "codereview"),
        (r"\bsous\s+l'\s*eau\b|\bunder\s+water\b", "overwhelmed"),
        (r"\bbig\s+picture\b|\bnorth\s+star\b|\bvue\s+d'\s*ensemble\b", "vision"),
        (r"\bon\s+(?:the|their|his|her|its)\s+plate\b", "duties"),
        (r"\bat\s+the\s+same\s+time\b|\ben\s+meme\s+temps\b", "both"),
        (
            r"\b(?:tien\w*|ten(?:ir|ons|ez)|rest\w*)\s+au\s+courant\b|\bkeeps?\s+up\s+with\b"
            r"|\bkeep(?:s|ing)?\s+(?:us\s+)?up\s+to\s+date\b|\bstay(?:s|ing)?\s+on\s+top\s+of\b",
            "follows",
        ),
        (
            r"\bnew(?:est)?\s+tech(?:s|nos?|nolog(?:y|ies))?\b|\blatest\s+tech\w*"
            r"|\bnouvelles?\s+techno(?:s|logies?)?\b",
            "newtech",
        ),
        (r"\bpa(?:y|ys|ying|id)\s+(?:down|off|back)\b", "repay"),
        (r"\bstick(?:s|ing)?\s+to\b|\badhere\s+to\b", "respect"),
        (
            r"\b(?:go(?:es|ing)?|push(?:es|ed|ing)?|part(?:e|ent|ir)?|pass(?:e|er|ent)|aller|va|vont"
            r"|sort(?:e|ir|ent)?)\s+(?:en|to|into)\s+prod(?:uction)?\b",
            "release",
        ),
        (r"\bin\s+a\s+nutshell\b|\ben\s+bref\b|\bin\s+short\b|\btl\s*;?\s*dr\b", " "),
        (r"\bmont(?:ee|er|e|ent)s?\s+en\s+competences?\b", "upskilling"),
        (
            r"\bwhat\s+if\s+(?=we\b|there\b|nobody\b|no\b|our\b)|\bet\s+si\s+(?=on\b|personne\b)",
            "consequence ",
        ),
        (
            r"\bstill\s+need\s+(?:a|the|our)\s+cto\b|\bencore\s+besoin\s+d'\s*un\s+cto\b",
            "replace cto",
        ),
        # "when we already have a CTO", "quand on a un CTO", "quand on recrute": a condition or
        # a circumstance, not a question about timing.
        (r"\bwhen\s+we\s+(?:already\s+)?(?:have|got)\b|\bquand\s+on\s+a\b", " "),
        (r"\bquand\s+on\s+(?:recrute|embauche)\b|\bwhen\s+(?:hiring|recruiting)\b", "hire"),
        (r"\bfaire\s+venir\b", "hire"),
        (
            r"\bpay(?:ing)?\s+for\s+(?=(?:a\s+|an\s+|the\s+)?(?:vpe|cto))|\bpourquoi\s+payer\b",
            "worth ",
        ),
        (r"\bbases?\s+de\s+donnees\b|\bdata\s*bases?\b", "database"),
        (
            r"\b(?:ne\s+)?va\s+pas\s+bien\b|\bstruggling\b|\bnot\s+doing\s+(?:well|ok|okay)\b",
            "morale",
        ),
        (r"\bbehind\s+schedule\b", "late"),
        (r"\bstretched\s+thin\b", "stretched"),
        (r"\bup\s+to\s+speed\b", "onboarding"),
        (
            r"\bnouveaux?\s+arrivants?\b|\bnew\s+(?:joiners|starters|arrivals)\b|\bnewcomers?\b",
            "onboarding",
        ),
        (
            r"\bperf(?:ormance)?\s+(?:reviews?|evals?|evaluations?)\b"
            r"|\b(?:revues?|evaluations?)\s+de\s+(?:la\s+)?performance\b|\bentretiens?\s+d'\s*evaluation\b",
            "perfreview",
        ),
        (r"\btrack\s+records?\b", "experience"),
        (r"\btrade[\s-]?offs?\b", "tradeoff"),
        (r"\bpass\w*\s+a\s+l'\s*echelle\b", "scale"),
        (r"\bmulti[\s-]?years?\b|\bpluriannuel\w*\b", "longterm"),
        (r"\bchamp\s+d'\s*action\b", "duties"),
        (r"\bpush(?:es|ed|ing)?\s+((?:the|our|a)\s+cto)\s+aside\b", r"replace \1"),
        # Non-native "how much engineers" is "how many engineers".
        (
            r"\bhow\s+much\s+(?=(?:engineers|devs?|developers|people|teams?|managers|reports|persons)\b)",
            "how many ",
        ),
        (r"\bmeps?\b", "release"),  # "mise en prod", as French developers write it
        # French as typed in Slack: "qqn", "cest", elisions without their apostrophe
        # ("lequipe", "larchi"), anglicised verbs ("onboarder", "staffer"), "les daily".
        (r"\bqq(?:n|1|un)\b|\bkelk?(?:un|1)\b|\bquelqu'?\s*un\b", " quelqu "),
        (r"\bcest\b", "c est"),
        (
            r"\b(l|d|qu|j|n|s|c)(equipes?|orga|organisation|archi\w*|onboarding|embauches?"
            r"|entretiens?|astreintes?|infra|avenir|evolution|evaluations?|estimations?"
            r"|innovation|ingenieurs?|inges?|investisseurs?|ia)\b",
            r"\1 \2",
        ),
        (r"\bonboard(?:er|e|es|ee|ees|ent|ons|ez|ait|ais)\b", "onboarding"),
        (r"\bstaff(?:e|er|ent|es|ons)\b", "hire"),
        (r"\bestims?\b", "estimate"),
        (
            r"\b(?:les|le|la|nos|notre|du|des|aux|au|mes|ce|ces|nos|un|une)\s+dail(?:y|ys|ies)\b",
            " standup ",
        ),
        (r"\borgas?\b", "org"),
        # "who decides how many squads we have?" asks who owns a size, not for a count.
        (
            r"\b(who|qui)(\s+(?:should\s+|gets\s+to\s+|doit\s+)?(?:decides?|sets|chooses|determines"
            r"|decident|fixe|choisit|determine|tranche)\s+)(?:how\s+many|combien)\b",
            r"\1\2 many ",
        ),
        # Questions that use the domain's words but ask for a fact, a date, a name or a favour,
        # not who owns what: "who is our CTO?", "how many engineers do we have?", "when is the
        # next release?", "what's our tech stack?", "can you book a 1:1 with the VPE?". Each
        # becomes a marker word the knowledge base never uses, so it weighs like an unknown
        # topic: a short question is rejected, a long one about ownership still gets through.
        (
            r"^\s*(?:who(?:\s+is|\s+are|'s)|qui\s+(?:est|sont)|c'\s*est\s+qui)\s+"
            r"(?:(?:our|the|your|notre|nos|le|la|les|votre|vos)\s+)?(?:new\s+|current\s+|nouveau\s+|"
            r"nouvelle\s+|actuel\s+|actuelle\s+)?(?:cto|vpe|ceo|investors?|investisseurs?|"
            r"founders?|fondateurs?)(?:\s+(?:of|at|in|de|chez|dans)\s+\S+(?:\s+\S+)?)?\s*[?!.]*\s*$",
            " xname ",
        ),
        # A person's attributes: "what's the CTO's email?", "quel âge a le CTO ?".
        (
            r"\b(?:age|birthday|anniversaire|phone|telephone|e-?mail|mail|adresse|address|salary"
            r"|salaries|salaire|salaires|calendar|agenda|prenom|surname|first\s+name|last\s+name"
            r"|full\s+name|nom\s+de\s+famille)\b",
            " xname ",
        ),
        (
            r"\bwho(?:\s+is|'s)\s+(?:the|our)\s+best\b|\bqui\s+est\s+(?:le|la|notre)\s+meilleure?\b"
            r"|\bwhat(?:\s+is|'s)\s+the\s+name\s+of\b|\bcomment\s+s'\s*appelle\b",
            " xname ",
        ),
        (
            r"\bhow\s+many\b[^?]*?\b(?:do|does|did)\s+(?:we|you|they|the\s+\w+|our\s+\w+)\s+"
            r"(?:have|employ|get|receive)\b(?!\s+to)|\bhow\s+many\b[^?]*?\b(?:we|you|they)\s+"
            r"(?:have|got|employ)\b(?!\s+to)|\bhow\s+many\b[^?]*?\b(?:are|is)\s+there\b"
            r"|\bhow\s+many\b[^?]*?\bare\s+(?:open|left|opened)\b|\bhow\s+much\s+(?:did|have|has)\b"
            r"|\bhow\s+long\s+(?:does|do|will|is)\b"
            r"|\bhow\s+many\b[^?]*?\b(?:are|work|works)\s+(?:in|on|at)\b"
            r"|\bhow\s+much\b[^?]*?\b(?:earn|earns|make|makes|paid|cost|costs)\b",
            " xfact ",
        ),
        (
            r"\bcombien\b[^?]*?\b(?:on\s+a|a[\s-]t[\s-]on|avons[\s-]nous|y\s+a[\s-]t[\s-]il|il\s+y\s+a"
            r"|sont\s+(?:ouverts?|ouvertes?|en\s+cours)|on\s+est)\b(?!\s+besoin)"
            r"|\bcombien\s+de\s+temps\s+(?:dure|prend|met)\b|\bcombien\s+(?:gagne|coute|touche)\w*"
            r"|\bcombien\s+de\s+\w+\s+(?:dans\s+(?:l'|notre|nos|cette|ce)|chez\s+nous)",
            " xfact ",
        ),
        (
            r"\b(?:when|what\s+time)\s+(?:is|are|does|do|will)\s+(?:the|our)\s+(?:next|new)\b"
            r"|\bwhat\s+time\b|\bc'\s*est\s+quand\b(?!\s+(?:le\s+(?:bon\s+)?moment|qu|il\s+faut))"
            r"|\ba\s+quelle\s+heure\b"
            r"|\bnext\s+(?:release|deploy\w*|sprint|meeting|board\s+meeting|launch|version|demo"
            r"|all[\s-]hands|offsite)s?\b"
            r"|\bprochaine?s?\s+(?:release|mep|mise\s+en\s+prod\w*|sprint|reunion|board|version"
            r"|demo|livraison|deploiement)s?\b"
            r"|\bquand\s+(?:est|sont|arrive|arrivent|sort|sortent|commence|commencent|a\s+lieu)\b"
            r"(?!\s+le\s+(?:bon\s+)?moment)"
            r"(?![\s-]+ce\b)",
            " xfact ",
        ),
        (
            r"\b(?:did|have|has)\s+(?:we|the\s+team|they)\s+(?:already\s+)?(?:ship|shipped|release|"
            r"released|deliver|delivered|launch|launched|finish|finished|hire|hired|raise|raised|fix|"
            r"fixed|merge|merged)\b|\bstatus\s+of\b|\bwhere\s+are\s+we\s+(?:on|with)\b"
            r"|\bou\s+en\s+(?:est|sont|sommes)\b|\bon\s+en\s+est\s+ou\b"
            r"|\bon\s+a\s+(?:deja\s+)?(?:livre|sorti|fini|termine|deploye|leve|corrige|merge)\b"
            r"|\bwho\s+(?:just\s+|already\s+)?(?:[a-z]{3,}ed|wrote|broke|built|chose|took|gave|sent)\b"
            r"|\bqui\s+(?:a|ont|avait)\s+(?:deja\s+)?(?!une\b|que\b|des\b|du\b|autorite\b|droit\b|acces\b)[a-z]{2,}(?:e|i|u|it|is)\b",
            " xfact ",
        ),
        (
            r"\bwhat(?:\s+is|'s|\s+are)\s+our\b(?!\s+(?:cto|vpe)\b)"
            r"|\b(?:c'\s*est\s+quoi|quel(?:le)?s?\s+(?:est|sont))\s+(?:notre|nos)\b(?!\s+(?:cto|vpe)\b)",
            " xfact ",
        ),
        (
            r"\b(?:today|tonight|yesterday|right\s+now|at\s+the\s+moment|this\s+(?:week|weekend|month|quarter|sprint|cycle))\b"
            r"|\b(?:aujourd'\s*hui|ce\s+soir|cette\s+nuit|hier|en\s+ce\s+moment|cette\s+semaine|ce\s+week[\s-]?end"
            r"|ce\s+(?:mois|trimestre|sprint|cycle))\b",
            " xnow ",
        ),
        # A favour asked outright: "write me a post...", "écris-moi un mail...".
        (
            r"^\s*(?:please\s+|pls\s+|stp\s+|svp\s+)?(?:write|draft|compose|generate)\s+(?:me\s+|us\s+)?"
            r"(?:a|an|the|some|my|our)\b|\b(?:write|draft|compose)\s+(?:me|us)\b"
            r"|\b(?:ecri[st]?|redige[sz]?|ecrivez|redigez|genere[sz]?)[\s-]+(?:moi|nous)\b"
            r"|^\s*(?:ecris|redige|ecrivez|redigez|genere)\s+(?:un|une|le|la|des|mon|notre)\b",
            " xrequest ",
        ),
        (
            r"\b(?:can|could|would)\s+you\s+(?:please\s+)?(?:schedule|book|create|make|send|set\s+up|add"
            r"|remind|organi[sz]e|invite|open|file|write)\b"
            r"|\b(?:peux|pouvez|pourrais|pourriez)[\s-](?:tu|vous)\s+(?:me\s+|nous\s+)?(?:caler|creer|"
            r"envoyer|reserver|organiser|ecrire|ajouter|ouvrir|planifier|programmer|inviter)\b"
            r"|\b(?:tu|vous)\s+(?:peux|pouvez)\s+(?:me\s+|nous\s+)?(?:caler|creer|envoyer|reserver|"
            r"organiser|ecrire|ajouter|ouvrir|planifier|programmer|inviter)\b",
            " xrequest ",
        ),
        # English "AI" (French "ai" is a verb, written "j'ai" / "n'ai"); "IA" in French.
        (r"(?<!')\bai\b|\bmachine\s+learning\b|\bintelligence\s+artificielle\b", "aiml"),
    )
)

# Marker words that the phrases above put in place of a question's frame when it asks for a
# fact, a name, a date or a favour rather than who owns what. No example may contain one (a
# test checks), so each weighs as much as an unknown topic word.
MARKERS = frozenset({"xfact", "xname", "xnow", "xrequest"})

# Words that mean the same thing across the two languages or across common paraphrases.
# A word that belongs to a group is replaced by the group's "~concept" term, so "recruter",
# "hiring" and "embauche" meet even though no example uses all three. One word, one group.
CONCEPTS: dict[str, str] = {
    "hire": "hire hiring hired hires recruit recruits recruiting recruitment recruiter recruiters "
    "recrutement recrutements recruter recrute recrutent recrue recrues embauche embaucher "
    "embauches staffing interview interviews interviewing onboarding onboard entretien entretiens "
    "candidate candidates candidat candidats applicant applicants sourcing cv cvs resume resumes "
    "headhunter headhunters offer offers offre offres fill filling pourvoir pourvoit",
    "deliver": "delivery deliveries deliver delivering delivered ship ships shipping shipped "
    "release releases releasing launch launches feature features fonctionnalite fonctionnalites "
    "livraison livraisons livrer livre livrent livrable livrables deploy deploys deployment "
    "deploiement deploiements velocity velocite throughput cadence rollout rollouts golive "
    "shipper shippe shippent productivity productivite fast faster vite vitesse rapidement sortir "
    "sortent sortie sorties",
    "deadline": "deadline deadlines delai delais echeance echeances schedule schedules timeline "
    "timelines planning calendrier date dates estimate estimates estimation estimations retard "
    "retards delay delays late ontime hit hitting milestone milestones jalon jalons miss missed "
    "rater rate ratee ratees slip slips slipping slipped slippage glisse glissent glisser overdue "
    "due commitment commitments committed forecast forecasts forecasting prevision previsions eta "
    "etas alarm alarms alerte alerter",
    "quality": "quality qualite bug bugs test tests testing qa stable stability stabilite "
    "techdebt dod regression regressions reliability fiabilite buggy refactor refactoring refacto "
    "robustness robustesse coverage couverture automation automated automate automatise "
    "automatises automatiser automatisation uptime downtime outage outages panne pannes "
    "availability observability observabilite debt dette dettes legacy maintainability "
    "maintenabilite standard standards norme normes repay repaying rembourser rembourse "
    "remboursement cleanup disponibilite degrade degrading degrades degradation degrader",
    "process": "process processes processus ritual rituals rituel rituels ceremony ceremonies "
    "ceremonie ceremonies workflow workflows methodology methodologie methode methodes agile "
    "scrum sprint sprints kanban codereview retro retros retrospective retrospectives standup "
    "standups postmortem postmortems method methods waysofworking incident incidents document "
    "documents documenter documentation practice practices pratique pratiques guideline "
    "guidelines convention conventions rule rules regle regles backlog grooming refinement policy "
    "policies politique politiques oncall astreinte astreintes",
    "manage": "manage manages managing management manager managers manageur encadrer encadre "
    "encadrement supervise supervises supervising supervision superviser oneonone boss bosses "
    "chef chefs humain humains human fire fires firing licencier licenciement licenciements virer "
    "dismiss underperform underperforming underperformer underperformers underperformance",
    "org": "org organisation organization organisations organizations organise organize "
    "organigram structure structures structurer restructure reportline hierarchie hierarchique "
    "hierarchy topology topologie squad squads orgchart decoupage decouper split splits splitting "
    "reorg reorgs reorganise reorganize reorganisation reorganization reorganiser repartition "
    "perimetre perimetres boundary boundaries pod pods tribe tribes chapter chapters guild guilds "
    "rattachement rattachements shape couper coupe cut cuts diviser divise scinder scinde "
    "scindent",
    "career": "careerpath carriere carrieres promotion promotions promote promoted level levels "
    "ladder grille perfreview progression progresser progress mentoring mentor mentorat coaching "
    "coach formation formations training talent talents upskilling feedback feedbacks retain "
    "retaining retention fideliser fidelisation promo promos evaluation evaluations evoluer "
    "evolue seniority seniorite augmentation augmentations mentorship learning apprentissage "
    "evolution evolutions leave leaving leaves quit quitting partent partir depart departs "
    "attrition turnover calibration calibrate retrogradation retrogradations retrograder "
    "retrograde",
    "architecture": "architecture architectures architectural archi design conception stack "
    "microservice microservices monolith monolithe module modules modular modulaire platform "
    "plateforme infrastructure infra "
    "framework frameworks language languages langage langages concevoir concoit database "
    "databases cloud aws gcp azure hosting hebergement hebergeur provider providers fournisseur "
    "fournisseurs vendor vendors tooling outillage tool tools outil outils scalability "
    "scalabilite structurant structurants structurante structurantes rewrite refonte migrate "
    "migrating migration migrations migrer",
    "vision": "vision visions strategy strategie strategic strategique direction cap future "
    "avenir longterm demain tomorrow orientation orientations bet bets wager horizon ambition "
    "ambitions pari paris",
    "board": "board boards administrateur administrateurs administratrice actionnaire "
    "actionnaires shareholder shareholders",
    "fundraise": "fundraise investor investors investisseur investisseurs vc vcs duediligence "
    "funding financement series levee levees serie fonds capital raising story stories histoire "
    "narrative recit",
    "innovation": "innovation innovations innovate innovating innover rnd research recherche "
    "emerging emergent emergente emergentes techwatch prototype prototypes prototyping poc "
    "experiment experiments experimentation experimentations proto protos aiml ia llm ml "
    "hackathon trend "
    "trends tendance tendances explore explores exploring exploration explorer lab labs labo "
    "labos genai generative generatif generatifs generatives chatgpt gpt copilot blockchain "
    "newtech",
    "spokesperson": "spokesperson evangelise evangelize evangelism evangelist evangeliser "
    "conference conferences talks meetup meetups press presse media medias journalist journalists "
    "journaliste journalistes public publique publicly externally exterieur external voice voix "
    "ambassador ambassadeur face visage blog blogs event events outside conf confs evenement "
    "evenements brand branding marque podcast podcasts keynote keynotes devrel advocacy "
    "visibility visibilite rayonnement notoriete communaute communautes publiquement",
    "replace": "replace replaces replacing replacement remplacer remplace remplacant remplacement "
    "substitute redundant inutile useless successor successeur deputy adjoint adjointe sideline "
    "sidelined",
    "difference": "difference differences different differ differs distinguish distingue "
    "distinction diff vs versus compare comparison compared comparer whodoeswhat same pareil "
    "nuance nuances overlap overlaps chevauchement chevauchent separe separate separates separent "
    "separer",
    "risk": "risk risks risque risques risky danger dangers dangerous consequence consequences "
    "wrong grave derape deraper struggle struggles suffer souffrent souffrir downside downsides "
    "drawback drawbacks inconvenient inconvenients pitfall pitfalls piege pieges break breaks "
    "casse cassent expose exposed exposer exposes exposure",
    "early": "small petit petite petites jeune earlystage seed debut start demarrage early "
    "amorcage tiny founder founders cofounder cofounders fondateur fondateurs cofondateur "
    "cofondateurs",
    "both": "both deux cumul cumuler double hats casquettes oneperson alone seul",
    "value": "value valeur benefit benefits benefice benefices avantage avantages advantage "
    "advantages interet useful utile utilite worth apport apporte apporter bring brings roi gain "
    "gains upside upsides vaut valent",
    "together": "together ensemble collaborate collaboration collaborer partnership partenariat "
    "binome duo tandem pair relationship relation friction frictions coordinate coordination "
    "coordonner coordonnent communicate communication communiquer communiquent share shares "
    "sharing partage partager partagent sync syncs synchroniser synchronise synchro",
    "morale": "morale moral motivation motivations motivate motiver demotive demotivee demotives "
    "demotivees demotivation demotivated ambiance burnout burnt burn epuisement "
    "wellbeing workload stress stressed stresse happiness happy bonheur exhausted epuise epuises "
    "surmenage overwork difficulte difficultes",
    "conflict": "conflict conflicts conflit conflits tension tensions dispute disputes disagree "
    "disagreement disagreements desaccord desaccords",
    "focus": "focus focuses concentrate concentrer consacrer priorities priorites energy energie",
    "layer": "layer layers couche couches echelon echelons",
    "size": "size sizes taille tailles many combien big maximum span ratio headcount effectif "
    "effectifs proportion proportions large larger maximal maximale",
    "profile": "profile profil skills skill competence competences background parcours experience "
    "traits qualifications seek chercher cherche ancien anciens ancienne",
    "duties": "responsibility responsibilities responsabilite responsabilites mission missions "
    "duties consist consists consiste consister",
    "signs": "signs signes sign signe signal signals signaux symptom symptoms symptome symptomes "
    "indicator indicators indicateur indicateurs moment timing overwhelmed swamped overloaded "
    "deborde debordee submerge submergee drowning noye noyee stretched bottleneck bottlenecks "
    "goulot stade stage operations operationnel operationnelle ready pret prets prete etape "
    "etapes",
    "code": "code coder coding codes",
    # Growing in size, in both languages ("as we scale", "quand on grossit").
    "grow": "grow grows growing grew growth grandir grandit grandissent grandissons croissance "
    "croitre scale scales scaling scaler grossir grossit grossissent expand expansion",
    # The people engineering is made of, in both languages ("ingés", "devs", "developers").
    "engineers": "engineer engineers developer developers dev devs ingenieur ingenieurs inge "
    "inges developpeur developpeurs programmer programmers codeur codeurs",
    "good": "good great strong excellent ideal ideale bon bonne bons bonnes meilleur meilleure "
    "best super top solid solide exceptional exceptionnel successful reussi awesome",
}

# Words that frame a question ("who owns", "qui gère", "who makes sure") rather than say what
# it is about. They weigh `MatchSettings.frame_weight` (zero by default): a question that
# shares only these with an example ("who owns the coffee machine?") must not look similar.
FRAME = _words(
    """
    who whom whose what which where how own owns owner owned owning responsible accountable
    answerable charge handles handle handling deals deal make makes making runs run running
    decides decide deciding does job drive drives driving oversee oversees ensure ensures
    ensuring guarantee guarantees guarantor keep keeps keeping look looks after care takes
    take taking sure hook eitherrole approve approves approval validate validates
    qui quoi quel quelle quels quelles comment gere gerer gerent occupe occuper
    responsable responsables fait faire font revient pilote piloter pilotent garant garante
    garantit garantir assure assurer veille veiller veillent decide decident decider
    charge chargee valide valider valident approuve approuver
    lead leads leading steer steers steering incombe chapeaute chapeauter dirige diriger
    track tracks tracking follow follows following suit suivre suivent surveille surveiller
    monitor monitors monitoring soin improve improves improving ameliore ameliorer travail
    boulot taf check checks checking verify verifies verifie verifier controle controler
    cover covers tackle tackles contact contacts owne ownes ownent suivi
    explain explains describe tell show expliquer explique decris decrire montre
    """
)

# Question words that are not frame words ("when should we hire", "why does it matter"), and
# requests ("explain microservices"): with one of them, a short question is not a bare topic.
QUESTION = _words(
    """
    when why quand pourquoi combien give write define donne ecris definis
    """
)

# Words that ask who does something. With ENGINEERING and the role names they make the
# anchors: an in-domain question asks who does something, names a role, or is about
# engineering. "How do I fix this bug?" or "what time is the standup?" touch none of them.
OWNERSHIP = _words(
    """
    who whom whose qui owner owners own owns owning responsible responsable responsables
    accountable charge
    """
)

# Tokens that show a question is about engineering or its leadership.
ENGINEERING = _words(
    """
    cto vpe eitherrole engineering engineer engineers ingenieur ingenieurs ingenierie developer
    developers developpeur developpeurs dev devs tech technique techniques technical technology
    technologie technologies techno software logiciel logicielle code manager managers inge inges
    managerofmanagers management managing encadrement eng span roles
    """
)

# Other departments and roles. A question naming one of these and nothing from ENGINEERING is
# about that department ("who hires salespeople?"), not about the CTO / VP Engineering split.
OTHER_FUNCTIONS = _words(
    """
    ceo cfo coo cmo cro cpo pm sales salespeople salesperson commercial commerciaux commerciale
    vente ventes marketing finance financial financier financiere comptabilite accounting accountant
    payroll paie legal juridique lawyer avocat hr rh drh facilities office bureau customer
    customers client clients vendeur vendeurs vendeuse vendeuses seller sellers
    expense expenses frais lunch lunches dejeuner dejeuners party fete soiree offsite
    seminaire insurance mutuelle assurance lease bail loyer rent invoice invoices facture factures
    tax taxes impot impots
    """
)

# Everyday words that can sit in any question without saying what it is about ("become",
# "never", "number", "promised", "servir", "jamais"). A word the knowledge base never uses
# normally weighs as much as a whole unknown topic ("who owns the office *plants*?"); one of
# these weighs `MatchSettings.generic_weight` instead, so a paraphrase is not rejected for
# its grammar. Topic nouns (salary, holiday, coffee...) must never be listed here.
GENERIC = _words(
    """
    become becomes became becoming get gets getting got give gives gave given go goes going
    gone went come comes coming came happen happens happened happening need needs needed
    want wants wanted think thinks thought know knows knew known tell tells told say says
    said ask asks asked use uses used using try tries tried trying put puts hold holds held
    find finds found see sees saw seen let lets seem seems call calls called mean means meant
    matter matters help helps helped stay stays stayed work works worked working play plays
    played move moves moved turn turns turned reduce reduces increase increases fix fixes
    change changes changed promise promises promised expect expects expected supposed
    never always sometimes often usually again already yet now soon later anymore
    eventually actually finally maybe perhaps probably once twice ever every each
    number numbers lot lots kind kinds sort sorts type types thing things stuff part parts
    way ways whole rest other others another such much more most less least enough
    bad better worse worst nice main right real proper important
    necessary unnecessary possible impossible normal usual typical
    someone somebody anyone anybody everyone everybody nobody nothing something everything
    people person folks guy guys question questions topic topics area areas thanks
    devenir devient deviennent devenu aller va vont allons venir vient viennent arriver arrive
    arrivent passer passe passent dire dit disent demander demande savoir sait connaitre voir
    voit penser pense vouloir veut veulent mettre met tenir tient prendre prend prennent
    donner donne servir sert rendre rend trouver trouve sembler semble aider aide reduire
    augmenter corriger changer change promis promise promesse promesses cense censee sache
    sachent bother plaindre plaignent complain complains
    jamais toujours souvent parfois deja maintenant bientot tard enfin fois
    peut etre probablement nombre reste partie parties facon facons maniere chose choses
    truc trucs genre sorte type types autre autres meme tel telle tels telles beaucoup peu
    mauvais mauvaise mieux grand grande gros grosse
    nouveau nouvelle vrai vraie principal principale important importante normal normale
    quelqu personne gens rien question questions sujet sujets domaine
    dumb silly stupid bete quick sorry desole desolee confused confus clear clair wondering
    curious curieux idea idee anyway honestly honnetement plutot else quelque day days jour
    jours guess wonder supposed instead
    voudrait voudrais voudraient voulons voulez voulu lance lancer lancent lancons new
    nouvelles nouveaux moving passage issue issues leadership made pile piling piles
    accumulate accumulating accumulent initiative initiatives deserve deserves merite meritent
    open ouvert ouverts ouverte ans annees years year key cle cles tradeoff tradeoffs creer
    cree creent create creates creating major majeur majeurs majeure able capable left stop
    arreter arrete reach reaches atteindre atteint duree utilise utiliser utilisent utilisons
    annuel annuelle annuels annuelles annual yearly
    took taken kept starts started feel feels felt looked ran adding add adds
    month months week weeks quarter quarters hour hours minute minutes today tonight
    mois semaine semaines trimestre heure heures aujourd hui soir matin
    before first second last next previous two three four five six ten half
    avant apres premier premiere dernier derniere prochain prochaine trois quatre cinq
    dix moitie
    regular regularly regulier reguliere regulierement whenever sudden suddenly lately recently
    recemment dernierement soudain pire
    fixing fixed solve solves solved regler reglent resoudre resout
    traiter traite convince convaincre convaincs
    huge little enorme monde
    pousse pousser poussent push pushes
    """
)

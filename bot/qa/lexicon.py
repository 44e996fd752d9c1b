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
        (r"\bwho\s+does\s+what\b|\bqui\s+fait\s+quoi\b", "whodoeswhat"),
        (r"\br\s*&\s*d\b|\br\s+et\s+d\b", "rnd"),
        (r"\bone[\s-]*(?:on|to)[\s-]*ones?\b|\b1\s*(?::|-|on|to)\s*1s?\b", "oneonone"),
        (r"\bmises?\s+en\s+prod(?:uction)?s?\b", "release"),
        (r"\blevees?\s+de\s+fonds?\b|\btours?\s+de\s+table\b", "fundraise"),
        (r"\bfund[\s-]?rais\w*\b|\bfund(?:ing)?\s+rounds?\b", "fundraise"),
        (r"\bconseil\s+d'\s*administration\b", "board"),
        (r"\bportes?[\s-]+paroles?\b", "spokesperson"),
        (r"\bscale[\s-]+ups?\b", "scaleup"),
        (r"\bstart[\s-]+ups?\b", "startup"),
        (r"\btech(?:nical)?\s+debt\b|\bdettes?\s+tech\w*\b", "techdebt"),
        (r"\bdue\s+diligences?\b", "duediligence"),
        (r"\bmanagers?\s+(?:of|de)\s+managers?\b", "managerofmanagers"),
        (r"\borg(?:ani[sz]ation(?:al)?)?\s+charts?\b|\borganigrammes?\b", "orgchart"),
        (r"\bfeuilles?\s+de\s+route\b", "roadmap"),
        (r"\bcode\s+reviews?\b|\brevues?\s+de\s+code\b", "codereview"),
        (r"\bperformance\s+reviews?\b|\bentretiens?\s+annuels?\b", "perfreview"),
        (r"\bdefinition\s+of\s+done\b", "dod"),
        (r"\bday[\s-]+to[\s-]+day\b|\b(?:au\s+)?quotidien\w*\b|\beveryday\b", "daily"),
        (r"\bveilles?\s+(?:tech\w*|techno\w*)\b|\btech(?:nology)?\s+watch\b", "techwatch"),
        (r"\blong[\s-]+term(?:e)?\b", "longterm"),
        (r"\breport(?:s|ing)?\s+(?:to|lines?)\b|\breport(?:e|ent)\s+a\b", "reportline"),
        (r"\bliens?\s+hierarchiques?\b", "reportline"),
        (r"\bqualit(?:ies|es)\b", "traits"),  # plural: a person's qualities, not software quality
        (r"\bboard\s+of\s+directors\b", "board"),
        (r"\bproof\s+of\s+concepts?\b", "poc"),
        (r"\btake\s+over\b|\bprend(?:re)?\s+la\s+place\b|\ba\s+la\s+place\b", "replace"),
        (r"\ben\s+place\b|\bin\s+place\b", " "),  # "once one is in place": not "replace"
        (r"\bmontee\s+en\s+competences?\b|\bup[\s-]?skill\w*\b", "upskilling"),
        (r"\bsigns?\s+off\b", "approves"),
        (r"\bcareers?\b", "careerpath"),  # "career" would stem to "care" ("take care of")
        (r"\bjob\s+offers?\b|\boffres?\s+d'\s*emploi\b|\boffres?\s+d'\s*embauche\b", "hire"),
        (r"\bearly[\s-]+stage\b|\bseed[\s-]+stage\b", "earlystage"),
    )
)

# Words that mean the same thing across the two languages or across common paraphrases.
# A word that belongs to a group is replaced by the group's "~concept" term, so "recruter",
# "hiring" and "embauche" meet even though no example uses all three. One word, one group.
CONCEPTS: dict[str, str] = {
    "hire": "hire hiring hired hires recruit recruits recruiting recruitment recruiter "
    "recruiters recrutement recrutements recruter recrute recrutent recrue recrues embauche "
    "embaucher embauches staffing interview interviews interviewing onboarding onboard",
    "deliver": "delivery deliveries deliver delivering delivered ship ships shipping shipped "
    "release releases releasing launch launches livraison livraisons livrer livre livrent "
    "livrable livrables deploy deploys deployment deploiement deploiements",
    "deadline": "deadline deadlines delai delais echeance echeances schedule schedules "
    "timeline timelines planning calendrier date dates estimate estimates estimation "
    "estimations retard retards delay delays late milestone milestones jalon jalons",
    "quality": "quality qualite bug bugs test tests testing qa stable stability stabilite "
    "techdebt dod regression regressions reliability fiabilite buggy",
    "process": "process processes processus ritual rituals rituel rituels ceremony ceremonies "
    "ceremonie ceremonies workflow workflows methodology methodologie methode methodes agile "
    "scrum sprint sprints kanban codereview retro retros retrospective retrospectives standup "
    "standups",
    "manage": "manage manages managing management manager managers manageur encadrer encadre "
    "encadrement supervise supervises supervising supervision superviser oneonone",
    "org": "org organisation organization organisations organizations organise organize "
    "organigram structure structures structurer restructure reportline hierarchie "
    "hierarchique hierarchy topology topologie squad squads orgchart decoupage decouper split "
    "splits splitting",
    "career": "careerpath carriere carrieres promotion promotions promote promoted level "
    "levels ladder grille perfreview progression progresser progress mentoring mentor "
    "mentorat coaching coach formation formations training talent talents upskilling",
    "architecture": "architecture architectures architectural archi design conception stack "
    "microservice microservices monolith monolithe platform plateforme infrastructure infra "
    "framework frameworks",
    "vision": "vision visions strategy strategie strategic strategique direction cap future "
    "avenir longterm demain",
    "board": "board boards",
    "fundraise": "fundraise investor investors investisseur investisseurs vc vcs duediligence "
    "funding financement series",
    "innovation": "innovation innovations innovate innovating innover rnd research recherche "
    "emerging emergent emergente emergentes techwatch prototype prototypes prototyping poc "
    "experiment experiments experimentation experimentations ai ia llm hackathon",
    "spokesperson": "spokesperson evangelise evangelize evangelism evangelist evangeliser "
    "conference conferences talks meetup meetups press presse media medias journalist "
    "journalists journaliste journalistes public publique publicly externally exterieur "
    "external voice voix ambassador ambassadeur face visage",
    "replace": "replace replaces replacing replacement remplacer remplace remplacant "
    "remplacement substitute redundant inutile successor successeur",
    "difference": "difference differences different differ differs distinguish distingue "
    "distinction diff vs versus compare comparison compared comparer whodoeswhat",
    "risk": "risk risks risque risques risky danger dangers dangerous consequence consequences",
    "early": "small petit petite petites jeune earlystage seed debut start demarrage early "
    "amorcage tiny",
    "both": "both deux cumul cumuler double hats casquettes",
    "value": "value valeur benefit benefits benefice benefices avantage avantages advantage "
    "advantages interet useful utile utilite worth apport apporte apporter bring brings roi",
    "together": "together ensemble collaborate collaboration collaborer partnership "
    "partenariat binome duo tandem pair relationship relation friction frictions",
    "focus": "focus focuses concentrate concentrer consacrer priorities priorites",
    "size": "size sizes taille tailles many combien big maximum span ratio",
    "profile": "profile profil skills skill competence competences background parcours "
    "experience traits qualifications",
    "duties": "responsibility responsibilities responsabilite responsabilites mission missions "
    "duties",
    "signs": "signs signes sign signe signal signals signaux symptom symptoms symptome "
    "symptomes indicator indicators indicateur indicateurs moment timing",
    "code": "code coder coding codes",
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
    technologie technologies techno software logiciel logicielle code manager managers
    managerofmanagers management managing encadrement
    """
)

# Other departments and roles. A question naming one of these and nothing from ENGINEERING is
# about that department ("who hires salespeople?"), not about the CTO / VP Engineering split.
OTHER_FUNCTIONS = _words(
    """
    ceo cfo coo cmo cro cpo pm sales salespeople salesperson commercial commerciaux commerciale
    vente ventes marketing finance financial financier financiere comptabilite accounting accountant
    payroll paie legal juridique lawyer avocat hr rh drh facilities office bureau
    """
)

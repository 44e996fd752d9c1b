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
        (r"\bwho\s+does\s+what\b|\bqui\s+fait\s+quoi\b", "whodoeswhat"),
        (r"\br\s*&\s*d\b|\br\s+et\s+d\b", "rnd"),
        (r"\bone[\s-]*(?:on|to)[\s-]*ones?\b|\b1\s*(?::|-|on|to)\s*1s?\b", "oneonone"),
        (r"\bmises?\s+en\s+prod(?:uction)?s?\b", "release"),
        (r"\blevees?\s+de\s+fonds?\b|\btours?\s+de\s+table\b", "fundraise"),
        (r"\bfund[\s-]?rais\w*\b|\bfund(?:ing)?\s+rounds?\b", "fundraise"),
        (r"\bconseil\s+d'\s*admin(?:istration)?\b", "board"),
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
            r"\bwhat\s+happens\s+(?:if|when|without)\b|\bque\s+se\s+passe[\s-]+t[\s-]+il\b",
            "consequence",
        ),
        (r"\bwork(?:s|ing)?\s+(?:as\s+a\s+team|hand\s+in\s+hand)\b", "together"),
        (r"\bhands[\s-]+on\b", "coding"),
        (r"\ba\s+temps\b", "ontime"),
        (r"\binstead\s+of\b|\bau\s+lieu\s+d", "replace"),
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
        (r"\bbring(?:s|ing)?\s+(?:in|on\s+board)\b", "hire"),  # "bring in a VPE"
        (r"\blook(?:s|ing)?\s+for\b", "seek"),  # not "look after" (a frame word)
        # English "AI" (French "ai" is a verb, written "j'ai" / "n'ai"); "IA" in French.
        (r"(?<!')\bai\b|\bmachine\s+learning\b|\bintelligence\s+artificielle\b", "aiml"),
    )
)

# Words that mean the same thing across the two languages or across common paraphrases.
# A word that belongs to a group is replaced by the group's "~concept" term, so "recruter",
# "hiring" and "embauche" meet even though no example uses all three. One word, one group.
CONCEPTS: dict[str, str] = {
    "hire": "hire hiring hired hires recruit recruits recruiting recruitment recruiter "
    "recruiters recrutement recrutements recruter recrute recrutent recrue recrues embauche "
    "embaucher embauches staffing interview interviews interviewing onboarding onboard "
    "entretien entretiens",
    "deliver": "delivery deliveries deliver delivering delivered ship ships shipping shipped "
    "release releases releasing launch launches feature features fonctionnalite "
    "fonctionnalites livraison livraisons livrer livre livrent "
    "livrable livrables deploy deploys deployment deploiement deploiements",
    "deadline": "deadline deadlines delai delais echeance echeances schedule schedules "
    "timeline timelines planning calendrier date dates estimate estimates estimation "
    "estimations retard retards delay delays late ontime hit hitting milestone milestones jalon "
    "jalons miss missed rater rate ratee ratees",
    "quality": "quality qualite bug bugs test tests testing qa stable stability stabilite "
    "techdebt dod regression regressions reliability fiabilite buggy refactor refactoring "
    "refacto robustness robustesse coverage couverture",
    "process": "process processes processus ritual rituals rituel rituels ceremony ceremonies "
    "ceremonie ceremonies workflow workflows methodology methodologie methode methodes agile "
    "scrum sprint sprints kanban codereview retro retros retrospective retrospectives standup "
    "standups postmortem postmortems method methods waysofworking incident incidents document "
    "documents documenter documentation",
    "manage": "manage manages managing management manager managers manageur encadrer encadre "
    "encadrement supervise supervises supervising supervision superviser oneonone boss bosses "
    "chef chefs",
    "org": "org organisation organization organisations organizations organise organize "
    "organigram structure structures structurer restructure reportline hierarchie "
    "hierarchique hierarchy topology topologie squad squads orgchart decoupage decouper split "
    "splits splitting reorg reorgs reorganise reorganize reorganisation reorganization "
    "reorganiser repartition",
    "career": "careerpath carriere carrieres promotion promotions promote promoted level "
    "levels ladder grille perfreview progression progresser progress mentoring mentor "
    "mentorat coaching coach formation formations training talent talents upskilling feedback "
    "feedbacks retain retaining retention fideliser fidelisation promo promos evaluation "
    "evaluations evoluer evolue",
    "architecture": "architecture architectures architectural archi design conception stack "
    "microservice microservices monolith monolithe platform plateforme infrastructure infra "
    "framework frameworks language languages langage langages concevoir concoit database "
    "databases",
    "vision": "vision visions strategy strategie strategic strategique direction cap future "
    "avenir longterm demain tomorrow orientation orientations",
    "board": "board boards",
    "fundraise": "fundraise investor investors investisseur investisseurs vc vcs duediligence "
    "funding financement series levee levees",
    "innovation": "innovation innovations innovate innovating innover rnd research recherche "
    "emerging emergent emergente emergentes techwatch prototype prototypes prototyping poc "
    "experiment experiments experimentation experimentations aiml ia llm ml hackathon",
    "spokesperson": "spokesperson evangelise evangelize evangelism evangelist evangeliser "
    "conference conferences talks meetup meetups press presse media medias journalist "
    "journalists journaliste journalistes public publique publicly externally exterieur "
    "external voice voix ambassador ambassadeur face visage blog blogs event events outside "
    "conf confs "
    "evenement evenements",
    "replace": "replace replaces replacing replacement remplacer remplace remplacant "
    "remplacement substitute redundant inutile useless successor successeur deputy adjoint "
    "adjointe sideline sidelined",
    "difference": "difference differences different differ differs distinguish distingue "
    "distinction diff vs versus compare comparison compared comparer whodoeswhat same pareil",
    "risk": "risk risks risque risques risky danger dangers dangerous consequence consequences "
    "wrong grave derape deraper struggle struggles suffer "
    "souffrent souffrir",
    "early": "small petit petite petites jeune earlystage seed debut start demarrage early "
    "amorcage tiny",
    "both": "both deux cumul cumuler double hats casquettes oneperson",
    "value": "value valeur benefit benefits benefice benefices avantage avantages advantage "
    "advantages interet useful utile utilite worth apport apporte apporter bring brings roi "
    "gain gains",
    "together": "together ensemble collaborate collaboration collaborer partnership "
    "partenariat binome duo tandem pair relationship relation friction frictions coordinate "
    "coordination coordonner coordonnent communicate communication communiquer communiquent "
    "share shares sharing partage partager partagent",
    "morale": "morale moral motivation motivations motivate motiver burnout burnt burn "
    "epuisement wellbeing workload",
    "conflict": "conflict conflicts conflit conflits tension tensions dispute disputes",
    "focus": "focus focuses concentrate concentrer consacrer priorities priorites energy energie",
    "layer": "layer layers couche couches echelon echelons",
    "size": "size sizes taille tailles many combien big maximum span ratio headcount effectif "
    "effectifs",
    "profile": "profile profil skills skill competence competences background parcours "
    "experience traits qualifications seek chercher cherche",
    "duties": "responsibility responsibilities responsabilite responsabilites mission missions "
    "duties consist consists consiste consister",
    "signs": "signs signes sign signe signal signals signaux symptom symptoms symptome "
    "symptomes indicator indicators indicateur indicateurs moment timing overwhelmed swamped "
    "overloaded deborde debordee submerge submergee",
    "code": "code coder coding codes",
    # The people engineering is made of, in both languages ("ingés", "devs", "developers").
    "engineers": "engineer engineers developer developers dev devs ingenieur ingenieurs inge "
    "inges developpeur developpeurs programmer programmers",
    "good": "good great strong excellent ideal ideale bon bonne bons bonnes meilleur "
    "meilleure best",
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
    boulot
    """
)

# Question words that are not frame words ("when should we hire", "why does it matter"), and
# requests ("explain microservices"): with one of them, a short question is not a bare topic.
QUESTION = _words(
    """
    when why quand pourquoi combien explain describe tell show give write define expliquer
    explique decris decrire montre donne ecris definis
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
    managerofmanagers management managing encadrement
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
    """
)

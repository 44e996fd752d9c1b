"""Tell French from English in the short questions people ask the bot."""

from __future__ import annotations

import re

from bot.core.i18n import Lang
from bot.qa.text import clean, fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are frequent in one language and rare in the other. Written without accents
# because people often type French without them ("qui gere le recrutement"); domain words
# shared by both languages (CTO, delivery, roadmap, process) are left out on purpose, and so
# are words both write alike ("decide", "charge": "qui décide", "qui s'en charge"). Slack
# shorthand counts too ("qqn", "pb", "bcp", "jsp"; "whos", "dont", "ppl").
_FRENCH = _words(
    """
    qui que quoi quel quelle quels quelles quand comment pourquoi combien ou est sont le la les
    un une des du de au aux et mais donc car ni ce cet cette ces c il elle ils elles
    nous vous je tu mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs pour par
    avec sans dans sur sous chez entre vers apres avant pendant depuis faut doit doivent peut
    peuvent fait font faire gere gerer s'occupe occupe porte y ne pas moins tres aussi deja
    encore equipe equipes responsable responsables recrutement embauche livraison delais
    qualite strategie technique techniques technologie developpeurs ingenieurs directeur
    entreprise besoin avoir etre poste levee fonds conseil veille bonjour salut merci
    techno technos embauches embaucher recruter livrer boite
    si en ca chaque maintenant trop tout tous toute toutes rien moi toi ici explique expliquer
    expliquez sais suis veux veut vais va vont ont avons etait sera serait devrait pourrait
    dois fais faites passe passer decider tranche trancher projet projets reunion reunions
    personne gens truc trucs genre vraiment toujours jamais souvent plutot alors ensuite cote
    bien mal quelqu boulot taf
    produit produits partie parties
    nouveau nouvelle nouveaux nouvelles ancien ancienne anciens meilleur meilleure mieux autre
    autres comme profil profils responsabilite responsabilites remplace remplacer apport binome
    fonctionnement salaire salaires moyen
    bcp pb pbs pbm qqn qqun jsp tkt mdr ptdr ptet bah ben ouais nan oui voila ya qd dc pcq pck
    psk tjs tjrs mtn chui jsuis stp svp ki koi kel kelle cki pk pq pourkoi
    """
)
_ENGLISH = _words(
    """
    who what which when where why how whose whom is are was were do does did the an of to and
    or but for with without in at by from into about our we you your my i they their it its
    this that these those should would could can will must need needs own owns owner
    responsible handles handle makes make runs run decides keeps sets get team
    teams hiring engineers developers quality strategy technical technology company time right
    hire between difference job there yet still have has hello thanks thank
    whos whats thats hows theres dont doesnt isnt cant wont im ive u ur gonna wanna anyone
    someone somebody nobody everyone people ppl pls
    """
)
# Elided French words count only with their apostrophe ("l'équipe", "d'un", "qu'on", "j'ai"):
# alone they are rather "R&D", "Q&A" or initials. "c" counts alone too: "c qui" is Slack French.
_ELIDED = _words("c d j l m n qu s t")
# English words that French Slack borrows as they are ("la team", "qui own la roadmap",
# "l'owner du hiring"): half a vote for English.
_BORROWED = _words("team teams own owns owner hiring job")
# Letters that only French uses among the two.
_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœ]")
_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")


def detect_language(text: str, default: Lang = "en") -> Lang:
    """Guess whether a short question is in French or English.

    Counts words typical of each language (accents optional) and gives French a head start
    when the text carries French accented letters.

    Args:
        text: the raw question, Slack markup allowed.
        default: the answer when the evidence is absent or tied ("delivery?", "CTO vs VPE"),
            for instance the language of the user's previous message or of the workspace.

    Returns:
        The language whose evidence wins, or `default` when neither does.
    """
    cleaned = clean(text)
    french = 2.0 * len(_FRENCH_LETTERS.findall(cleaned.lower()))
    english = 0.0
    for word in _WORD.findall(fold(cleaned)):
        parts = [word, *re.split(r"['-]", word)] if ("'" in word or "-" in word) else [word]
        elided = "'" in word and word.split("'", 1)[0] in _ELIDED
        french += elided or any(part in _FRENCH for part in parts)
        if any(part in _ENGLISH for part in parts):
            english += 0.5 if word in _BORROWED else 1.0
    if french == english:
        return default
    return "fr" if french > english else "en"

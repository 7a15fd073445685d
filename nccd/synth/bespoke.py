"""Bespoke text: each response's own answer, its own request, names and titles.

Sentences come from short frames whose fixed wording never runs more than a
few words without a fresh number, date, place, unit or system name, so two
documents' bespoke text share an 8-word run only by rare coincidence and never
look like a template.
"""

from __future__ import annotations

import random
import string
from typing import Callable, Sequence

TOPICS: tuple[tuple[str, str], ...] = (
    ("facial recognition technology", "Facial Recognition"), ("IMSI catchers", "IMSI Catchers"),
    ("unmanned aerial vehicles", "Drones"), ("automatic number plate recognition", "ANPR Cameras"),
    ("body worn video", "Body Worn Video"),
    ("social media monitoring software", "Social Media Monitoring"),
    ("mobile phone extraction kiosks", "Mobile Phone Extraction"),
    ("covert listening devices", "Covert Listening Devices"), ("predictive policing software", "Predictive Policing"),
    ("gait analysis software", "Gait Analysis"), ("equipment interference tools", "Equipment Interference"),
    ("open source intelligence tools", "Open Source Intelligence"),
)
PLACES: tuple[str, ...] = tuple(
    "Aldershot Alnwick Andover Ashford Aylesbury Banbury Barnsley Barnstaple Basildon Basingstoke Bath Bedford "
    "Beverley Bicester Birkenhead Blackburn Blackpool Blyth Bodmin Bolton Bootle Boston Bracknell Bradford "
    "Braintree Bridgend Bridgwater Buxton Burnley Bury Camborne Cannock Carlisle Chatham Chelmsford Cheltenham "
    "Chester Chesterfield Chichester Chippenham Chorley Clacton Colchester Corby Coventry Crawley Crewe Darlington "
    "Dartford Derby Dewsbury Doncaster Dorchester Dover Dudley Durham Eastbourne Ely Exeter Falmouth Farnborough "
    "Folkestone Gateshead Gloucester Grantham Gravesend Grimsby Guildford Halifax Harlow Harrogate Hartlepool "
    "Hastings Hereford Hexham Hinckley Horsham Hove Huddersfield Huntingdon Ipswich Keighley Kendal Kettering "
    "Kidderminster Lancaster Leamington Leek Leominster Lincoln Llanelli Loughborough Lowestoft Luton Macclesfield "
    "Maidstone Malvern Mansfield Margate Matlock Middlesbrough Morpeth Newark Newbury Newport Northampton "
    "Northwich Norwich Nuneaton Oldham Oswestry Penrith Penzance Peterborough Plymouth Pontypridd Poole Preston "
    "Reading Redditch Retford Ripon Rochdale Rotherham Rugby Runcorn Salford Salisbury Scarborough Scunthorpe "
    "Selby Shrewsbury Skegness Slough Southport Stafford Stevenage Stockport Stroud Sunderland Swindon Tamworth "
    "Taunton Telford Thetford Tiverton Torquay Truro Wakefield Walsall Warrington Watford Wellingborough "
    "Weymouth Whitby Widnes Wigan Winchester Woking Worcester Worksop Worthing Wrexham Yeovil".split())
# A unit is "<place> <speciality> <body>": about 15 bits of choice in three words.
_SPECIALITIES = ("Digital", "Tactical", "Specialist", "Regional", "Covert", "Cyber", "Economic", "Public Safety",
                 "Major Crime", "Intelligence", "Forensic", "Roads", "Firearms", "Custody", "Vetting", "Estates",
                 "Procurement", "Training", "Records", "Surveillance")
_BODIES = ("Unit", "Team", "Hub", "Desk", "Bureau", "Cell", "Office", "Centre", "Squad", "Group")
_ADJECTIVES = ("recorded", "covert", "routine", "urgent", "flagged", "logged", "open", "closed", "archived",
               "pending", "manual", "automated", "priority", "disputed")
_NOUNS = ("deployments", "alerts", "requests", "authorisations", "referrals", "reports", "incidents", "searches",
          "cases", "files", "entries", "audits", "callouts", "downloads", "matches")
_VENDORS = ("Corvex", "Brightmere", "Halden", "Northlight", "Oakfield", "Vantis", "Meridian", "Kestrel",
            "Ashgrove", "Tamsin", "Pellow", "Rowanby", "Quintar", "Selwyn", "Trelawny", "Ulverstone", "Wexcombe",
            "Yarrow", "Zennor", "Dunmore")
_PRODUCTS = ("Sentinel", "Lattice", "Beacon", "Tracer", "Quill", "Atlas", "Harbour", "Lantern", "Compass",
             "Keystone", "Vigil", "Ledger", "Signal", "Prism", "Anchor", "Relay", "Summit", "Pathway", "Horizon")
_RANKS = ("Detective Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Sergeant", "Detective Inspector",
          "Head of Procurement", "Information Manager", "Force Solicitor", "Data Protection Officer")
SURNAMES: tuple[str, ...] = tuple(
    "Abbott Adams Ahmed Akhtar Ali Allen Atkinson Bailey Baker Barker Barnes Begum Bell Bennett Bishop Booth "
    "Bradley Brennan Briggs Brooks Burton Butler Carter Chapman Clarke Cole Collins Cooper Cox Crawford Daly "
    "Davies Dawson Dixon Doyle Duncan Edwards Ellis Evans Farrell Fisher Fletcher Ford Foster Fox Gibson Gill "
    "Gordon Graham Grant Gray Griffiths Hale Hall Hammond Harding Harris Hayes Hill Holmes Howard Hughes Hunt "
    "Hussain Iqbal Jackson James Jenkins Johnson Jones Kaur Kelly Kennedy Khan King Knight Lawson Lee Lewis "
    "Lloyd Lowe Marsh Marshall Mason Matthews Mills Mitchell Moore Morgan Morris Murphy Murray Nolan Owen "
    "Palmer Parry Patel Pearce Perry Phillips Price Quinn Rahman Reid Reynolds Rhodes Richards Riley Roberts "
    "Robinson Rose Russell Saunders Shah Sharma Shaw Simpson Singh Smith Spencer Stone Sutton Taylor Thomas "
    "Thompson Thornton Turner Walker Walsh Ward Watson Webb Wells White Wilson Wood Wright Young".split())
FIRST_NAMES: tuple[str, ...] = tuple(
    "Aisha Alan Amir Anna Ben Carol Chloe Daniel David Deborah Emma Fatima Gareth Hannah Helen Ian Imran James "
    "Jane Joanne John Karen Laura Liam Mark Mary Michael Nadia Neil Nicola Paul Priya Rachel Rebecca Richard "
    "Sarah Simon Sophie Stephen Tom Yusuf Zoe".split())
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

# Answer frames: no more than three fixed words in a row between slots.
_ANSWERS = (
    "{n} {items} reached {unit} between {date} and {date}.",
    "{system} went live at {place} on {date}, costing {money}.",
    "Of {n} {items} reviewed in {year}, {m} involved {unit}.",
    "{rank} confirmed on {date} that {m} of {n} {items} were closed.",
    "On {date} {unit} spent {money} on {system} licences.",
    "Contract {code} for {system} runs from {date} to {date}.",
    "{n} officers at {place} completed {system} training by {date}.",
    "{unit} holds {n} records created after {date}, {m} from {place}.",
    "Before {date}, {place} logged no {items}; {n} came by {date}.",
    "Between {date} and {date}, {unit} took {n} {items}.",
    "The figure for {place} was {n}, against {m} for {place} in {year}.",
    "Budget line {code} shows {money} set aside for {system}.",
    "{system} holds {n} {items} for {place} and {m} for {place}.",
    "On {date} {unit} tested {system}, logging {m} faults under {code}.",
    "A search of {system} on {date} by {rank} found {n} {items}.",
    "In {month} {unit} received {n} {items}, {pct} from {place}.",
    "{pct} of {n} {items} on {system} predate {date}.",
    "The {place} pilot ran {m} days from {date} and cost {money}.",
    "Invoice {code} of {date} shows {money} paid for {system}.",
    "On {date} {rank} reviewed {n} {items} at {place}.",
    "{system} is open to {m} staff in {unit}, down from {n}.",
    "{place} answered {n} {items} by {date}, and {m} since.",
    "Review {code} closed {n} {items} at {unit}, signed off {date}.",
    "Since {date}, {m} sessions on {system} ran at {place}.",
)
# A bespoke sentence around an embedded template clause: (before, after).
_CLAUSE_FRAMES = (
    ("On {date} {unit} advised that ", ", and {m} {items} were reviewed under {code}."),
    ("A review at {place} on {date} found that ", "; {n} {items} were examined."),
    ("{rank} noted on {date} that ", ", citing file {code}."),
    ("Report {code} by {unit} states that ", " ({n} {items} sampled)."),
    ("Minutes of {date} at {place} record that ", ", per item {m}."),
)
_MODALS = frozenset({"would", "could", "may", "might", "will"})
_SUBJECTS = ("disclosure ", "confirmation ", "publication ", "release ")
# Requests: the topic (a few words, few choices) always sits between a date or
# code and a place; intros end, and questions start, with a number, date, code
# or system name, so a run across two questions is as varied as one inside.
_INTROS = (
    "Request {code} of {date}: {topic} at {place}, {n} sites, as of {date}.",
    "On {date}, under ref {code}, about {topic} at {place} since {date}:",
    "Covering {date} to {date}: {topic} at {place}, {m} units, ref {code}.",
    "For study {code} ({date}): {topic} at {place}, {n} cases since {date}.",
)
_QUESTIONS = (
    "{system}: how many {items} reached {unit} by {date}?",
    "Contract {code}: what did {unit} pay {vendor} for {system}?",
    "{date} to {date}, {unit}: how often was {system} used?",
    "Please send policy {code}, issued {date}, version {ver}.",
    "{place}: how many of {n} officers trained on {system} by {date}?",
    "Rule {code}: are {items} kept past {date} at {place}?",
    "Trial {code} of {system} on {date}: who at {unit} authorised it?",
    "{date} to {date}: what did {place} spend on {system}?",
    "{system} audit {code}: which {n} {items} at {place} were checked?",
)


def _date(rng: random.Random, year: int) -> str:
    return f"{1 + int(rng.random() * 28)} {_MONTHS[int(rng.random() * 12)]} {year - int(rng.random() * 3)}"


def _unit(rng: random.Random, year: int) -> str:
    return (f"the {PLACES[int(rng.random() * len(PLACES))]} {_SPECIALITIES[int(rng.random() * 20)]} "
            f"{_BODIES[int(rng.random() * 10)]}")


def _pick(pool: Sequence[str]) -> Callable[[random.Random, int], str]:
    return lambda rng, year: pool[int(rng.random() * len(pool))]


_SLOTS: dict[str, Callable[[random.Random, int], str]] = {
    "n": lambda rng, year: f"{rng.randint(12, 9999):,}",
    "m": lambda rng, year: str(rng.randint(2, 480)),
    "money": lambda rng, year: f"£{rng.randint(1200, 990000):,}",
    "pct": lambda rng, year: f"{rng.randint(2, 97)}%",
    "date": _date,
    "month": lambda rng, year: f"{_MONTHS[int(rng.random() * 12)]} {year - int(rng.random() * 2)}",
    "year": lambda rng, year: str(year - int(rng.random() * 3)),
    "place": _pick(PLACES),
    "unit": _unit,
    "items": lambda rng, year: f"{_ADJECTIVES[int(rng.random() * 14)]} {_NOUNS[int(rng.random() * 15)]}",
    "system": lambda rng, year: (f"{_VENDORS[int(rng.random() * 20)]} {_PRODUCTS[int(rng.random() * 19)]} "
                                 f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"),
    "vendor": _pick(_VENDORS),
    "rank": lambda rng, year: f"{_RANKS[int(rng.random() * 10)]} {SURNAMES[int(rng.random() * len(SURNAMES))]}",
    "code": lambda rng, year: f"{string.ascii_uppercase[int(rng.random() * 26)]}{rng.randint(100, 999)}-{year % 100}",
    "ver": lambda rng, year: f"{rng.randint(1, 12)}.{rng.randint(0, 9)}",
}
_FORMATTER = string.Formatter()


def _compile(frame: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((literal, name) for literal, name, _, _ in _FORMATTER.parse(frame))


_ANSWER_PARTS = tuple(_compile(frame) for frame in _ANSWERS)
_CLAUSE_PARTS = tuple((_compile(before), _compile(after)) for before, after in _CLAUSE_FRAMES)
_INTRO_PARTS = tuple(_compile(frame) for frame in _INTROS)
_QUESTION_PARTS = tuple(_compile(frame) for frame in _QUESTIONS)


def _fill(parts: tuple[tuple[str, str | None], ...], rng: random.Random, year: int, topic: str = "") -> str:
    out = []
    for literal, name in parts:
        out.append(literal)
        if name == "topic":
            out.append(topic)
        elif name is not None:
            out.append(_SLOTS[name](rng, year))
    text = "".join(out)
    return text[0].upper() + text[1:]


def answer(rng: random.Random, year: int, clause_rate: float,
           clause_of: Callable[[], tuple[str, object]]) -> list[list[tuple[str, object]]]:
    """A bespoke answer: 1-4 paragraphs of 1-4 sentences about the force's own records.

    Parameters
    ----------
    rng:
        The document's random generator.
    year:
        The response's year; dates fall in it or the year before.
    clause_rate:
        Probability that a sentence embeds a template clause.
    clause_of:
        Called for each embedded clause; returns ``(clause text, tag)``.

    Returns
    -------
    list[list[tuple[str, object]]]
        Paragraphs as pieces ``(text, tag)``: ``tag`` is ``None`` for bespoke text
        and the ``clause_of`` tag for an embedded clause.
    """
    paragraphs = []
    for _ in range(rng.randint(1, 4)):
        pieces: list[tuple[str, object]] = []
        own: list[str] = []
        for _ in range(rng.randint(1, 4)):
            if rng.random() < clause_rate:
                before, after = _CLAUSE_PARTS[int(rng.random() * len(_CLAUSE_PARTS))]
                clause, tag = clause_of()
                lead = _fill(before, rng, year)
                if clause.split(" ", 1)[0].lower() in _MODALS:
                    lead += _SUBJECTS[int(rng.random() * len(_SUBJECTS))]  # "… that" + "disclosure" + "would …"
                own.append(lead)
                pieces.append((" ".join(own), None))
                pieces.append((clause, tag))
                own = [_fill(after, rng, year)]
                continue
            own.append(_fill(_ANSWER_PARTS[int(rng.random() * len(_ANSWER_PARTS))], rng, year))
        pieces.append((" ".join(own), None))
        paragraphs.append(_glue(pieces))
    return paragraphs


def _glue(pieces: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Drop empty bespoke pieces (a paragraph that opens with a clause sentence)."""
    return [(text, tag) for text, tag in pieces if text]


def request(rng: random.Random, year: int, topic: str, questions: tuple[int, int] = (2, 6)) -> list[str]:
    """A requester's request: an introduction and numbered questions (``questions`` bounds their number)."""
    intro = _fill(_INTRO_PARTS[int(rng.random() * len(_INTRO_PARTS))], rng, year, topic)
    count = rng.randint(*questions)
    chosen = rng.sample(range(len(_QUESTION_PARTS)), count)
    return [intro] + [f"{number}. {_fill(_QUESTION_PARTS[q], rng, year, topic)}"
                      for number, q in enumerate(chosen, 1)]


def person(rng: random.Random) -> str:
    """A first name and surname."""
    return f"{FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]} {SURNAMES[int(rng.random() * len(SURNAMES))]}"


def salutation(rng: random.Random) -> str:
    """How a letter addresses the requester."""
    draw = rng.random()
    if draw < 0.25:
        return "Sir or Madam"
    return f"{('Mr', 'Ms', 'Mrs', 'Dr')[int(draw * 8) % 4]} {SURNAMES[int(rng.random() * len(SURNAMES))]}"

"""gazetteer: every UK police body that answers FOI requests, as data.

Each body has its official name (the canonical name ``find_force`` returns), the
other names a letter may call it by, and the mail domains its staff write from.
Matching is not done here (see :mod:`nccd.metadata`), but the names are written
for it:

- an alias is matched as whole words, longest first, in any case, except that
  acronyms (a word with two or more capitals: ``MPS``, ``CoLP``, ``MoD``) and
  ``Met`` are matched in their own capitals only ("met" is a verb, "MPs" are MPs);
- "and" also matches "&", a hyphen also matches a space, commas between words
  and a closing apostrophe ("Chiefs'") are optional, so those variants are not
  listed twice;
- a bare place name ("Kent", "the West Midlands") is never an alias: letters name
  places far more often than forces.

Every alias and every domain belongs to exactly one body. A joint unit is a body
of its own: it owns the joint names ("Warwickshire Police and West Mercia
Police"), lists its member forces in ``members``, and a letter that speaks as
the joint unit is the joint unit's even where it also names a member alone.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The kinds of body: the 43 territorial forces of England and Wales; the national
#: forces of Scotland and Northern Ireland; the special (non-Home Office) forces;
#: the national coordinating bodies (the NPCC and the units it hosts); joint units.
KINDS = ("territorial", "national", "special", "coordinating", "joint")


@dataclass(frozen=True)
class Force:
    """A UK police body: its canonical name, other names it goes by, its mail domains.

    Attributes
    ----------
    name:
        The official name, returned as the force of a letter.
    aliases:
        Other names and abbreviations that mean this body and no other.
    domains:
        Mail domains (a subdomain matches too), each owned by one body.
    kind:
        One of :data:`KINDS`.
    members:
        For a joint unit, the canonical names of its member forces.
    """

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    kind: str = "territorial"
    members: tuple[str, ...] = ()


def _t(name: str, *aliases: str, domains: tuple[str, ...] = ()) -> Force:
    return Force(name, aliases, domains, "territorial")


FORCES: tuple[Force, ...] = (
    # The 43 territorial forces of England and Wales.
    _t("Avon and Somerset Constabulary", "Avon and Somerset Police", domains=("avonandsomerset.police.uk",)),
    _t("Bedfordshire Police", "Beds Police", domains=("bedfordshire.police.uk", "beds.pnn.police.uk")),
    _t("Cambridgeshire Constabulary", "Cambridgeshire Police", "Cambs Police", domains=("cambs.police.uk",)),
    _t("Cheshire Constabulary", "Cheshire Police", domains=("cheshire.police.uk",)),
    _t("City of London Police", "CoLP", domains=("cityoflondon.police.uk",)),
    _t("Cleveland Police", domains=("cleveland.police.uk",)),
    _t("Cumbria Constabulary", "Cumbria Police", domains=("cumbria.police.uk",)),
    _t("Derbyshire Constabulary", "Derbyshire Police", domains=("derbyshire.police.uk",)),
    _t("Devon and Cornwall Police", "Devon and Cornwall Constabulary", domains=("devon-cornwall.police.uk",)),
    _t("Dorset Police", domains=("dorset.police.uk",)),
    _t("Durham Constabulary", "Durham Police", domains=("durham.police.uk",)),
    _t("Dyfed-Powys Police", "Heddlu Dyfed-Powys", domains=("dyfed-powys.police.uk",)),
    _t("Essex Police", domains=("essex.police.uk",)),
    _t("Gloucestershire Constabulary", "Gloucestershire Police", domains=("gloucestershire.police.uk",)),
    _t("Greater Manchester Police", "GMP", domains=("gmp.police.uk",)),
    _t("Gwent Police", "Heddlu Gwent", domains=("gwent.police.uk",)),
    _t("Hampshire and Isle of Wight Constabulary", "Hampshire Constabulary", "Hampshire Police",
       "Hampshire and Isle of Wight Police", domains=("hampshire.police.uk",)),
    _t("Hertfordshire Constabulary", "Hertfordshire Police", "Herts Police",
       domains=("herts.police.uk", "herts.pnn.police.uk")),
    _t("Humberside Police", domains=("humberside.police.uk",)),
    _t("Kent Police", domains=("kent.police.uk", "kent.pnn.police.uk")),
    _t("Lancashire Constabulary", "Lancashire Police", domains=("lancashire.police.uk",)),
    _t("Leicestershire Police", "Leics Police", domains=("leics.police.uk",)),
    _t("Lincolnshire Police", "Lincs Police", domains=("lincs.police.uk",)),
    _t("Merseyside Police", domains=("merseyside.police.uk",)),
    _t("Metropolitan Police Service", "Metropolitan Police", "MPS", "the Met", "Met Police", "the Met Police",
       domains=("met.police.uk", "met.pnn.police.uk")),
    _t("Norfolk Constabulary", "Norfolk Police", domains=("norfolk.police.uk",)),
    _t("North Wales Police", "Heddlu Gogledd Cymru", domains=("northwales.police.uk", "north-wales.police.uk")),
    _t("North Yorkshire Police", "NYP", domains=("northyorkshire.police.uk",)),
    _t("Northamptonshire Police", "Northants Police", domains=("northants.police.uk",)),
    _t("Northumbria Police", domains=("northumbria.police.uk", "northumbria.pnn.police.uk")),
    _t("Nottinghamshire Police", "Notts Police", domains=("nottinghamshire.police.uk",)),
    _t("South Wales Police", "Heddlu De Cymru", domains=("south-wales.police.uk", "south-wales.pnn.police.uk")),
    _t("South Yorkshire Police", "SYP", domains=("southyorks.police.uk",)),
    _t("Staffordshire Police", "Staffs Police", domains=("staffordshire.police.uk",)),
    _t("Suffolk Constabulary", "Suffolk Police", domains=("suffolk.police.uk",)),
    _t("Surrey Police", domains=("surrey.police.uk",)),
    _t("Sussex Police", domains=("sussex.police.uk",)),
    _t("Thames Valley Police", "TVP", domains=("thamesvalley.police.uk",)),
    _t("Warwickshire Police", domains=("warwickshire.police.uk",)),
    _t("West Mercia Police", domains=("westmercia.police.uk",)),
    _t("West Midlands Police", "WMP", domains=("west-midlands.police.uk", "wmp.police.uk")),
    _t("West Yorkshire Police", "WYP", domains=("westyorkshire.police.uk",)),
    _t("Wiltshire Police", "Wiltshire Constabulary", domains=("wiltshire.police.uk",)),
    # National forces of Scotland and Northern Ireland.
    Force("Police Scotland", ("Police Service of Scotland", "Poileas Alba"), ("scotland.police.uk",), "national"),
    Force("Police Service of Northern Ireland", ("PSNI",), ("psni.police.uk",), "national"),
    # Special police forces.
    Force("British Transport Police", ("BTP",), ("btp.police.uk",), "special"),
    Force("Ministry of Defence Police", ("MDP", "MoD Police", "MOD Police"), ("mod.police.uk",), "special"),
    Force("Civil Nuclear Constabulary", ("CNC",), ("cnc.police.uk",), "special"),
    # The National Police Chiefs' Council and the units it hosts.
    Force("National Police Chiefs' Council", ("NPCC",), ("npcc.police.uk",), "coordinating"),
    Force("ACRO Criminal Records Office", ("ACRO", "ACPO Criminal Records Office"), ("acro.police.uk",),
          "coordinating"),
    Force("NPCC Central Referral Unit",
          ("NPCC FOI CRU", "NPCC CRU", "NPCC FOI Central Referral Unit",
           "NPCC Freedom of Information Central Referral Unit", "National Police Chiefs' Council Central Referral Unit",
           "FOI Central Referral Unit", "ACPO Central Referral Unit"),
          (), "coordinating"),
    # Joint units, which write as one body for their member forces.
    Force("Bedfordshire Police and Hertfordshire Constabulary",
          ("Hertfordshire Constabulary and Bedfordshire Police",),
          (), "joint", ("Bedfordshire Police", "Hertfordshire Constabulary")),
    Force("Bedfordshire, Cambridgeshire and Hertfordshire Joint Protective Services",
          ("Beds, Cambs and Herts Joint Protective Services", "BCH Joint Protective Services",
           "Bedfordshire, Cambridgeshire and Hertfordshire Police",
           "Bedfordshire, Cambridgeshire and Hertfordshire Constabularies",
           "Bedfordshire Police, Cambridgeshire Constabulary and Hertfordshire Constabulary"),
          (), "joint", ("Bedfordshire Police", "Cambridgeshire Constabulary", "Hertfordshire Constabulary")),
    Force("Norfolk and Suffolk Constabularies",
          ("Suffolk and Norfolk Constabularies", "Norfolk Constabulary and Suffolk Constabulary",
           "Suffolk Constabulary and Norfolk Constabulary", "Norfolk and Suffolk Police", "Suffolk and Norfolk Police"),
          (), "joint", ("Norfolk Constabulary", "Suffolk Constabulary")),
    Force("Warwickshire Police and West Mercia Police",
          ("West Mercia Police and Warwickshire Police", "Warwickshire and West Mercia Police",
           "West Mercia and Warwickshire Police"),
          (), "joint", ("Warwickshire Police", "West Mercia Police")),
    Force("Devon and Cornwall Police and Dorset Police",
          ("Dorset Police and Devon and Cornwall Police", "Devon and Cornwall and Dorset Police",
           "Dorset and Devon and Cornwall Police"),
          (), "joint", ("Devon and Cornwall Police", "Dorset Police")),
)

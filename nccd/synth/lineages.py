"""The wording of the three template lineages the synthetic corpus copies from.

Each lineage is a dict ``name -> (text, clauses)``. ``text`` is one passage:
paragraphs separated by a blank line (``"\\n\\n"``), single spaces inside a
paragraph, and ``{slot}`` fields filled per document (see
:data:`nccd.synth.bank.SLOTS`). ``clauses`` are verbatim, slot-free substrings of
``text`` that bespoke sentences may embed (clause-level reuse).

The wording is written for this generator in the structure of real police NCND
refusals; lineage B rewords and merges lineage A's national text the way a force
adapting it would, lineage C follows a different regional model.
"""

from __future__ import annotations

Entry = tuple[str, tuple[str, ...]]


def _p(text: str, *clauses: str) -> Entry:
    return text, clauses


_SHARED_HARM = (
    "would tell criminals what the reach, tactical skills and capabilities of the force are, and would "
    "allow them to single out parts of the UK in which to carry on their criminal or terrorist activities."
)
_SHARED_COVERT = (
    "It is widely recognised that police forces use covert tactics and surveillance to obtain intelligence "
    "that helps them to counter criminal behaviour. The media have reported on several occasions that "
    "terrorist plots were disrupted thanks to intelligence gathered in this way."
)
_SHARED_BALANCE = (
    "The Police Service is responsible for enforcing the law, preventing and detecting crime and protecting "
    "the communities it serves. The security of the country is of the highest importance, and {force} will "
    "not reveal whether any other information is or is not held where to do so would put an individual's "
    "safety at risk"
)
_THREAT_OPEN = (
    "The threat from terrorism cannot be dismissed. It is widely accepted that the international security "
    "picture is growing more complex and harder to predict."
)

LINEAGE_A: dict[str, Entry] = {
    "opening": _p(
        "Dear {salutation}\n\nThank you for your request for information, which {force} received on "
        "{received}. We have dealt with it under the Freedom of Information Act 2000."),
    "asked": _p("You asked:"),
    "ncnd": _p(
        "In addition to the response above, {force} can neither confirm nor deny that it holds any other "
        "information falling within this request, because the duty in Section 1(1)(a) of the Freedom of "
        "Information Act 2000 does not apply by virtue of the following exemptions:"),
    "pit-intro": _p(
        "These exemptions are explained in the notes that follow. Because both are qualified exemptions, I am "
        "required to set out the harm and to complete a Public Interest Test (PIT) for Section 24 and Section 31."),
    "harm": _p(
        "Overall Harm for the NCND\n\nA disclosure under FOI is a disclosure to the world at large. Without "
        "calling into question the applicant's motives, to confirm or deny that any other information exists "
        "about the covert {practice} of {topic} " + _SHARED_HARM,
        "would tell criminals what the reach, tactical skills and capabilities of the force are"),
    "s24-for": _p(
        "S24 Factors Favouring Confirmation or Denial\n\n" + _SHARED_COVERT,
        "police forces use covert tactics and surveillance to obtain intelligence that helps them to counter "
        "criminal behaviour"),
    "s31-for": _p(
        "S31 Factors Favouring Confirmation or Denial\n\nConfirming or denying whether information is held "
        "would give the public a better understanding of how the police service works and of how public money "
        "is spent. It would improve the quality of public debate, which might otherwise be driven by rumour "
        "and speculation.",
        "would improve the quality of public debate, which might otherwise be driven by rumour and speculation"),
    "s24-against": _p(
        "S24 Factors against Confirming or Denying\n\nTo confirm or deny whether any information is or is not "
        "held about the covert use of {topic} would weaken operational capability, because criminals and "
        "terrorists would learn more about police methods and techniques and could take steps to defeat them. "
        "It might also expose the limits of police capability in this area and so encourage criminal or "
        "terrorist activity by revealing possible weak points. The damage is greater where the same request is "
        "sent to many law enforcement bodies. As well as informing local offenders, it would let those engaged "
        "in organised crime across the UK build a map of where particular tactics are, or are not, in use. "
        "Such information could identify location-specific operations, which would in the end undermine police "
        "tactics, operations and future prosecutions, since offenders could act against the measures used to "
        "catch them.",
        "criminals and terrorists would learn more about police methods and techniques and could take steps "
        "to defeat them",
        "it would let those engaged in organised crime across the UK build a map of where particular tactics "
        "are, or are not, in use",
        "could identify location-specific operations, which would in the end undermine police tactics, "
        "operations and future prosecutions"),
    "s31-against": _p(
        "S31 Factors against Confirming or Denying\n\nAny information that reveals where policing activity is "
        "concentrated could be turned to the advantage of terrorists or criminal groups. Information that "
        "damages the operational integrity of this work would put public safety at risk and harm both National "
        "Security and Law Enforcement.",
        "information that reveals where policing activity is concentrated could be turned to the advantage of "
        "terrorists or criminal groups"),
    "threat": _p(
        _THREAT_OPEN + " The UK Government has published the national threat level since 2006, based on "
        "current intelligence. The level has stood at the second highest, 'severe', for most of that time, "
        "apart from short periods in August 2006, June and July 2007, and May and September {when}, after the "
        "attacks in Manchester and London, when it was raised to the highest level, 'critical'. The UK "
        "continues to face a sustained threat from violent extremists and terrorists, and the current threat "
        "level is '{threat}'.",
        "the international security picture is growing more complex and harder to predict"),
    "balance": _p(
        "Balance Test\n\n" + _SHARED_BALANCE + ", compromise law enforcement or undermine National Security."
        "\n\nThere is a public interest in openness about policing operations and in reassurance that {force} "
        "is dealing properly and effectively with the terrorist threat. There is, however, a very strong public "
        "interest in protecting both national security and the integrity of police investigations and "
        "operations in this highly sensitive area.\n\nThere is also no need to answer any public concern about "
        "the lawfulness of police operations or of the tactics that may or may not be used. The force is "
        "already held to account by independent bodies such as the Investigatory Powers Commissioner's Office, "
        "whose inspections test each force's compliance with the legislation and whose findings are reported "
        "to the Prime Minister. Our accountability would therefore not be improved by confirming or denying "
        "that any other information is held.\n\nFor these reasons the public interest must favour neither "
        "confirming nor denying that any other information is held. This should not, however, be read as a "
        "sign that any other information meeting your request does or does not exist.",
        "a very strong public interest in protecting both national security and the integrity of police "
        "investigations and operations",
        "independent bodies such as the Investigatory Powers Commissioner's Office, whose inspections test "
        "each force's compliance with the legislation"),
    "no-inference": _p(
        "No inference can be drawn from this refusal that any further information relevant to your request "
        "does or does not exist."),
    "complaint": _p(
        "Complaint Rights\n\nIf you are unhappy with how your request has been handled, or believe the decision "
        "is wrong, you may ask {force} to review it. Please write to us within 40 working days of the date of "
        "this response, quoting the reference above.\n\nIf you are still unhappy after the review, you may "
        "apply to the Information Commissioner for a decision on whether your request was dealt with in line "
        "with the Act. The Information Commissioner's Office can be reached at Wycliffe House, Water Lane, "
        "Wilmslow, Cheshire, SK9 5AF, by telephone on 0303 123 1113, or through its website at https://ico.org.uk."),
    "signoff": _p("Yours sincerely\n\n{officer}\n\nFreedom of Information Officer"),
}

LINEAGE_B: dict[str, Entry] = {
    "opening": _p(
        "Response by {force} to a request made under the Freedom of Information Act 2000 (the 'Act')\n\nThe "
        "Act creates a general right of access to recorded information that a public authority, the police "
        "included, holds when a request is received. That right is subject to a number of limits and "
        "exemptions."),
    "asked": _p("You asked:"),
    "answer-lead": _p(
        "In Response:\n\nWe have now had the chance to consider your request in full, and our response follows."),
    "ncnd": _p(
        "{force} can neither confirm nor deny whether it holds any further information about the covert use of "
        "{topic}, and in doing so relies on the following exemptions:"),
    "qualified": _p(
        "Sections 24 and 31 are qualified exemptions. This means there is a requirement to show the harm that "
        "confirming or denying would cause, and to weigh the public interest, before either can be relied on."),
    "harm": _p(
        "Evidence of Harm\n\nTo confirm or deny that any other information exists about the covert {practice} "
        "of {topic} " + _SHARED_HARM + " Confirming or denying the particular circumstances in which the police "
        "may or may not deploy {topic} would raise the risk of harm to covert investigations and compromise law "
        "enforcement. That would work against the provision of an efficient policing service and would be a "
        "failure of the duty of care owed to every member of the public.",
        "would raise the risk of harm to covert investigations and compromise law enforcement"),
    "threat": _p(
        _THREAT_OPEN + " Since 2006 the UK Government has published the threat level, based on current "
        "intelligence, and for most of that period it has remained at the second highest level, 'severe'. The "
        "exceptions were short periods in August 2006, June and July 2007, and May and September {when}, after "
        "the Manchester and London attacks, when it was raised to 'critical'. The UK still faces a sustained "
        "threat from violent extremists and terrorists, and the threat level currently stands at '{threat}'.",
        "the international security picture is growing more complex and harder to predict"),
    "covert": _p(
        _SHARED_COVERT,
        "police forces use covert tactics and surveillance to obtain intelligence that helps them to counter "
        "criminal behaviour"),
    "favour": _p(
        "Factors Favouring Confirmation or Denial\n\nThe public are entitled to know how public money is spent, "
        "and confirming or denying that this information is held would show where funds go and that forces are "
        "doing all they can to tackle terrorism. It would also make people more aware of the terrorist threat "
        "and allow them to take steps to protect themselves and their families. Greater public awareness may "
        "lead to more intelligence reaching the police about possible acts of terrorism, as people become more "
        "alert to suspicious behaviour, and that in turn may reduce crime.",
        "may lead to more intelligence reaching the police about possible acts of terrorism",
        "would also make people more aware of the terrorist threat and allow them to take steps to protect "
        "themselves"),
    "against": _p(
        "Factors Against Confirming or Denying\n\nConfirming or denying whether this information is or is not "
        "held would give criminals and terrorists an insight into the tactics and resources available to the "
        "police. Security arrangements and tactics are used again and again and are watched by criminal groups, "
        "fixated individuals and terrorists, and any that were exposed would need to be reviewed at extra cost "
        "to the public purse. Confirmation or denial would therefore hinder the prevention and detection of "
        "crime and weaken the ability of {force} to protect the public.",
        "any that were exposed would need to be reviewed at extra cost to the public purse",
        "would give criminals and terrorists an insight into the tactics and resources available to the police"),
    "balance": _p(
        "Balance Test\n\n" + _SHARED_BALANCE + " or undermine National Security.\n\nAlthough there is a public "
        "interest in the transparency of policing and in knowing that the police are engaging properly with "
        "the terrorist threat, there is a very strong public interest in protecting national security and the "
        "integrity of police operations. On balance, the public interest lies in neither confirming nor denying "
        "that the information is held.",
        "a very strong public interest in protecting national security and the integrity of police operations"),
    "no-inference": _p(
        "No inference can be taken from this response that any further information relevant to your request "
        "does or does not exist."),
    "complaint": _p(
        "Your attention is drawn to the notes at the end of this letter, which explain your right to complain "
        "about the way your request was handled and, after that, to apply to the Information Commissioner. The "
        "Commissioner's Office is at Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF and its helpline "
        "is 0303 123 1113."),
    "signoff": _p("Yours sincerely\n\n{officer}\n\nDisclosure Officer, Information Management Unit"),
}

LINEAGE_C: dict[str, Entry] = {
    "opening": _p(
        "Dear {salutation}\n\nI write regarding your request for information, which we received on {received}."),
    "asked": _p("I note you seek access to the following information:"),
    "blind": _p(
        "The Freedom of Information Act 2000 requires us to deal with every request without regard to who has "
        "made it. Any information released in answer to a request is treated as published, and so is in the "
        "public domain without caveat."),
    "ncnd": _p(
        "Response – {force} neither confirms nor denies that it holds the information you have requested, as "
        "the duty in Section 1(1)(a) of the Freedom of Information Act 2000 does not apply, by virtue of the "
        "following exemptions:"),
    "qualified": _p(
        "Section 24 and Section 31 are qualified exemptions, so we must evidence any harm that confirmation or "
        "denial would cause and must also consider the public interest."),
    "harm": _p(
        "Harm in Confirming or Denying that Information is Held\n\nNational security covers a wide field, and "
        "we have a duty to protect everyone within the UK. Public safety lies at the heart of the policing "
        "purpose and must be weighed when deciding whether to reveal that information is or is not held. "
        "Confirming that particular tactics are in use, or describing policing methods not already in the "
        "public domain, could undermine those methods by allowing criminals to adopt counter measures.\n\nTo "
        "confirm or deny whether we hold any information would give interested parties an advantage and an "
        "insight into the policies and decisions used to safeguard national security. It could also work "
        "against the provision of an efficient policing service, amount to a failure of the duty of care owed "
        "to the public and affect any {ongoing} investigation.",
        "could undermine those methods by allowing criminals to adopt counter measures",
        "would give interested parties an advantage and an insight into the policies and decisions used to "
        "safeguard national security"),
    "pit": _p("Public Interest Test"),
    "s24-for": _p(
        "Factors favouring confirming or denying that any other information is held – Section 24\n\nConfirming "
        "or denying that other information exists would lead to a better informed public, and the public are "
        "entitled to know how public money is spent. The information relates only to national security in "
        "general terms and confirmation would not in itself damage it."),
    "s24-against": _p(
        "Factors against confirming or denying that any other information is held – Section 24\n\nTo confirm or "
        "deny whether {force} holds any further information would allow conclusions to be drawn about the "
        "nature and scale of national security activity that may or may not take place. Terrorist groups could "
        "use this to avoid detection, so confirmation or denial would damage national security.\n\nConfirming "
        "or denying any policing arrangements of this kind would make national security measures less "
        "effective, leading to the compromise of {ongoing} or future operations to protect the security or "
        "infrastructure of the UK and increasing the risk of harm to the public.",
        "would allow conclusions to be drawn about the nature and scale of national security activity",
        "any policing arrangements of this kind would make national security measures less effective"),
    "s31-for": _p(
        "Factors favouring confirming or denying that any other information is held – Section 31\n\nConfirming "
        "or denying whether further information is held would let the public see where public money has been "
        "spent and would allow the police service to appear more open and transparent."),
    "s31-against": _p(
        "Factors against confirming or denying that any other information is held – Section 31\n\nConfirming "
        "or denying whether any information is held would compromise law enforcement tactics and so hinder the "
        "prevention and detection of crime. Security arrangements and tactics are used repeatedly and are "
        "studied by criminal groups, fixated individuals and terrorists. If exposed, they would have to be "
        "reviewed, which would take more resources and add to the cost to the public purse.",
        "would compromise law enforcement tactics and so hinder the prevention and detection of crime"),
    "balance": _p(
        "Balancing Test\n\nOur role is to enforce the law, to prevent and detect crime and to protect the "
        "communities we police. Keeping the country safe matters above all, and the Police Service will not "
        "say whether any other information is or is not held if doing so would put a person at risk or "
        "undermine National Security. There is a public interest in transparent policing and in assurance that "
        "the police are engaging properly with the threat from criminals. That is outweighed by the very strong "
        "public interest in safeguarding National Security and the integrity of police work in this area, which "
        "will be set aside only in exceptional circumstances.\n\nIt is therefore our view that, for these "
        "issues, the balancing test for confirming or denying whether any other information is held is not "
        "made out.",
        "the very strong public interest in safeguarding National Security and the integrity of police work"),
    "enquiries": _p(
        "If you have any further questions about this matter, please contact me and quote the reference number "
        "above."),
    "signoff": _p("Yours sincerely\n\n{officer}\n\nInformation Rights Unit"),
    "complaint": _p(
        "{force} offers you the right to ask for an independent review of this response under its review "
        "procedure. If you would like a review, you must tell us within two months of the date of this letter. "
        "If you remain dissatisfied after the review, you may apply to the Information Commissioner. Details of "
        "how to complain are on the Commissioner's website at https://ico.org.uk/make-a-complaint/, or you can "
        "call 0303 123 1113."),
}

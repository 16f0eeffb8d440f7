"""Reference data: the acronyms and terms of safeguarding practice the partnership's
documents use, and the words practitioners use for the same things. Search treats each
term, its expansion and its synonyms as one ("WNB" = "was not brought" = "missed
appointment"); pages mark up the first use of an acronym with its expansion.

Upserted on a stable slug, so running it again (or after staff edits) never duplicates;
it sets the fields below and leaves other terms staff added alone.
"""

from django.db import migrations
from django.utils import timezone

# (slug, term, expansion, definition, synonyms)
TERMS = [
    (
        "cspr",
        "CSPR",
        "Child Safeguarding Practice Review",
        "A review of a serious child safeguarding case to find what can be learned to "
        "improve practice. Local reviews are commissioned by the safeguarding partnership; "
        "the national Child Safeguarding Practice Review Panel reviews cases of national "
        "importance.",
        "LCSPR\nlocal child safeguarding practice review\npractice review\nserious case review\nSCR",
    ),
    (
        "lcspr",
        "LCSPR",
        "Local Child Safeguarding Practice Review",
        "A Child Safeguarding Practice Review commissioned by the local safeguarding "
        "partnership.",
        "CSPR\nlocal review\nchild safeguarding practice review",
    ),
    (
        "scr",
        "SCR",
        "Serious Case Review",
        "The review of a serious child safeguarding case before 2018, when Child "
        "Safeguarding Practice Reviews replaced Serious Case Reviews.",
        "serious case review\nCSPR",
    ),
    (
        "rapid-review",
        "Rapid review",
        "",
        "The partnership's first look at a serious incident, within 15 working days, to "
        "decide whether a local Child Safeguarding Practice Review is needed and what "
        "can be learned at once.",
        "rapid reviews\nserious incident notification",
    ),
    (
        "lscp",
        "LSCP",
        "Local Safeguarding Children Partnership",
        "The local authority, police and health (integrated care board) working together, "
        "with other agencies, to safeguard and promote the welfare of children in an area.",
        "SCP\nsafeguarding children partnership\nsafeguarding partnership\n"
        "safeguarding partners\nLSCB\nlocal safeguarding children board",
    ),
    (
        "scp",
        "SCP",
        "Safeguarding Children Partnership",
        "The local safeguarding arrangements made by the local authority, police and "
        "health for an area.",
        "LSCP\nsafeguarding children partnership\nsafeguarding partnership",
    ),
    (
        "dsl",
        "DSL",
        "Designated Safeguarding Lead",
        "The senior member of staff in a school, college or early years setting who takes "
        "lead responsibility for safeguarding and child protection.",
        "designated safeguarding lead\nsafeguarding lead\ndeputy DSL",
    ),
    (
        "cse",
        "CSE",
        "Child Sexual Exploitation",
        "A form of child sexual abuse where a person or group takes advantage of an "
        "imbalance of power to coerce, manipulate or deceive a child into sexual activity.",
        "child sexual exploitation\nsexual exploitation",
    ),
    (
        "cce",
        "CCE",
        "Child Criminal Exploitation",
        "When a person or group coerces, manipulates or deceives a child into criminal "
        "activity, such as carrying drugs or money for county lines.",
        "child criminal exploitation\ncriminal exploitation\ncounty lines",
    ),
    (
        "mace",
        "MACE",
        "Multi-Agency Child Exploitation",
        "The multi-agency meeting or panel that shares information and plans to protect "
        "children at risk of exploitation.",
        "multi-agency child exploitation\nchild exploitation\nexploitation panel",
    ),
    (
        "nrm",
        "NRM",
        "National Referral Mechanism",
        "The framework for identifying and referring potential victims of modern slavery "
        "and human trafficking so that they get the right support.",
        "national referral mechanism\nmodern slavery\ntrafficking\nhuman trafficking",
    ),
    (
        "fii",
        "FII",
        "Fabricated or Induced Illness",
        "When a parent or carer exaggerates, fabricates or causes symptoms of illness in a "
        "child.",
        "fabricated or induced illness\nfabricated illness\ninduced illness\n"
        "perplexing presentations",
    ),
    (
        "camhs",
        "CAMHS",
        "Child and Adolescent Mental Health Services",
        "NHS services that assess and treat children and young people with emotional, "
        "behavioural or mental health difficulties.",
        "child and adolescent mental health services\nCYPMHS\n"
        "children and young people's mental health services",
    ),
    (
        "lac",
        "LAC",
        "Looked After Child",
        "A child in the care of the local authority, under a care order or accommodated "
        "with the parents' agreement. Many children prefer 'child in care'.",
        "looked after child\nlooked after children\nchild in care\nchildren in care\n"
        "CiC\nCLA\nchild looked after\ncare experienced",
    ),
    (
        "cic",
        "CiC",
        "Child in Care",
        "A child looked after by the local authority: the term many children in care "
        "prefer.",
        "child in care\nchildren in care\nLAC\nlooked after child\nCLA",
    ),
    (
        "cp",
        "CP",
        "Child Protection",
        "The work to protect a child who is suffering, or likely to suffer, significant "
        "harm.",
        "child protection",
    ),
    (
        "cpp",
        "CPP",
        "Child Protection Plan",
        "The multi-agency plan agreed at a child protection conference to keep a child "
        "safe from significant harm.",
        "child protection plan\nchild protection plans",
    ),
    (
        "icpc",
        "ICPC",
        "Initial Child Protection Conference",
        "The meeting after a section 47 enquiry that decides whether a child needs a child "
        "protection plan.",
        "initial child protection conference\nchild protection conference\ncase conference",
    ),
    (
        "rcpc",
        "RCPC",
        "Review Child Protection Conference",
        "The meeting that reviews a child protection plan and whether the child still "
        "needs it.",
        "review child protection conference\nreview conference",
    ),
    (
        "cin",
        "CIN",
        "Child in Need",
        "A child whose health or development is likely to be impaired without services "
        "from the local authority (section 17 of the Children Act 1989).",
        "child in need\nchildren in need\nsection 17\nS17",
    ),
    (
        "s17",
        "S17",
        "Section 17 of the Children Act 1989 (child in need)",
        "The local authority's duty to safeguard and promote the welfare of children in "
        "need in its area.",
        "section 17\nchild in need\nCIN",
    ),
    (
        "s47",
        "S47",
        "Section 47 of the Children Act 1989 (child protection enquiry)",
        "The local authority's duty to make enquiries when there is reasonable cause to "
        "suspect a child is suffering, or likely to suffer, significant harm.",
        "section 47\nsection 47 enquiry\nchild protection enquiry\nchild protection enquiries",
    ),
    (
        "strategy-discussion",
        "Strategy discussion",
        "",
        "A discussion between children's social care, the police, health and other "
        "agencies, when a child may be suffering significant harm, to decide whether to "
        "start a section 47 enquiry.",
        "strategy meeting\nstrategy discussions",
    ),
    (
        "eha",
        "EHA",
        "Early Help Assessment",
        "An assessment of a child's and family's needs, with their agreement, to give "
        "support early, before problems grow.",
        "early help assessment\nearly help\nCAF\ncommon assessment framework",
    ),
    (
        "tac",
        "TAC",
        "Team Around the Child",
        "The practitioners working with a child and family who meet to plan and review "
        "early help.",
        "team around the child\nteam around the family\nTAF",
    ),
    (
        "mash",
        "MASH",
        "Multi-Agency Safeguarding Hub",
        "Where agencies share information to decide what help a child needs when a "
        "safeguarding concern is first raised: the front door to children's services.",
        "multi-agency safeguarding hub\nfront door\nchildren's services front door",
    ),
    (
        "marac",
        "MARAC",
        "Multi-Agency Risk Assessment Conference",
        "A meeting where agencies share information about high-risk domestic abuse cases "
        "and agree a plan to protect the victim and their children.",
        "multi-agency risk assessment conference\nrisk assessment conference",
    ),
    (
        "mappa",
        "MAPPA",
        "Multi-Agency Public Protection Arrangements",
        "How the police, probation and prison services manage violent and sexual "
        "offenders in the community.",
        "multi-agency public protection arrangements",
    ),
    (
        "dvds",
        "DVDS",
        "Domestic Violence Disclosure Scheme",
        "Known as Clare's Law: the police can tell someone about a partner's abusive past "
        "(right to ask) or tell them without being asked (right to know).",
        "domestic violence disclosure scheme\nClare's Law\nright to ask\nright to know\n"
        "domestic abuse disclosure scheme",
    ),
    (
        "clares-law",
        "Clare's Law",
        "The Domestic Violence Disclosure Scheme (DVDS)",
        "Named after Clare Wood, killed by a former partner in 2009: the police can "
        "disclose a partner's history of abuse.",
        "DVDS\ndomestic violence disclosure scheme\nright to ask\nright to know",
    ),
    (
        "domestic-abuse",
        "Domestic abuse",
        "",
        "Abusive behaviour between people aged 16 or over who are personally connected: "
        "physical, sexual, emotional, economic, coercive or controlling. Children who see, "
        "hear or experience its effects are victims in their own right.",
        "domestic violence\nDV\nDA\ndomestic violence and abuse\nintimate partner violence\n"
        "IPV",
    ),
    (
        "coercive-control",
        "Coercive control",
        "",
        "A pattern of acts of assault, threats, humiliation and intimidation, or other "
        "abuse, used to harm, punish or frighten a partner.",
        "coercive and controlling behaviour\ncontrolling behaviour",
    ),
    (
        "icon",
        "ICON",
        "Babies cry, you can cope",
        "A programme to prevent abusive head trauma: Infant crying is normal, Comforting "
        "methods can help, It's OK to walk away, Never, ever shake a baby.",
        "babies cry you can cope\ninfant crying\ncrying babies\ncoping with crying",
    ),
    (
        "aht",
        "AHT",
        "Abusive Head Trauma",
        "A head injury caused on purpose to a baby or young child, often by shaking.",
        "abusive head trauma\nnon-accidental head injury\nNAHI\nshaken baby\nshaking",
    ),
    (
        "nai",
        "NAI",
        "Non-Accidental Injury",
        "An injury to a child that was caused on purpose.",
        "non-accidental injury\ninflicted injury\nphysical abuse",
    ),
    (
        "bruising-in-babies",
        "Bruising in non-mobile babies",
        "",
        "Bruising in a baby who is not yet mobile is rare and must always be taken "
        "seriously: follow the bruising protocol.",
        "bruising\nbruise\nbruises\nnon-mobile\npre-mobile\nnot independently mobile\n"
        "bruising protocol",
    ),
    (
        "sudi",
        "SUDI",
        "Sudden Unexpected Death in Infancy",
        "The sudden and unexpected death of a baby; safer sleep advice reduces the risk.",
        "sudden unexpected death in infancy\nsudden infant death\nSIDS\ncot death\n"
        "safer sleep",
    ),
    (
        "safer-sleep",
        "Safer sleep",
        "",
        "Advice to reduce the risk of sudden infant death: baby on their back, in their "
        "own cot, never co-sleeping on a sofa or after alcohol or drugs.",
        "safe sleep\nco-sleeping\nco sleeping\ncosleeping\nbed sharing\nbed-sharing\nSUDI\n"
        "sleeping arrangements\nsleep environment",
    ),
    (
        "aces",
        "ACEs",
        "Adverse Childhood Experiences",
        "Stressful or traumatic events in childhood, such as abuse, neglect, domestic "
        "abuse or a parent's mental ill health, which can affect health and wellbeing for "
        "life.",
        "adverse childhood experiences\nadverse childhood experience\nACE\n"
        "trauma-informed\ntrauma informed",
    ),
    (
        "ehe",
        "EHE",
        "Elective Home Education",
        "When parents choose to educate their child at home instead of sending them to "
        "school.",
        "elective home education\nelectively home educated\nhome education\n"
        "home educated\nhome schooling\nhome-schooled",
    ),
    (
        "cme",
        "CME",
        "Children Missing Education",
        "Children of compulsory school age who are not registered at a school and not "
        "receiving a suitable education otherwise.",
        "children missing education\nchild missing education\nmissing from education",
    ),
    (
        "wnb",
        "WNB",
        "Was Not Brought",
        "A child who misses a health appointment 'was not brought' by the adult "
        "responsible: the term keeps the focus on the child, who cannot take themselves.",
        "was not brought\nwere not brought\nnot brought\nmissed appointment\n"
        "missed health appointments\ndid not attend\nDNA\nnon-attendance",
    ),
    (
        "dna",
        "DNA",
        "Did Not Attend",
        "The older term for a missed appointment: for children, 'was not brought' (WNB) "
        "is used instead.",
        "did not attend\nWNB\nwas not brought\nmissed appointment",
    ),
    (
        "smart",
        "SMART",
        "Specific, Measurable, Achievable, Realistic and Time-bound",
        "How good plans and outcomes are written, so that everyone knows what will "
        "change, by when and how they will know.",
        "SMART plan\nSMART plans\nSMART outcomes\nSMART targets",
    ),
    (
        "cpoms",
        "CPOMS",
        "Child Protection Online Management System",
        "Software many schools use to record safeguarding concerns and actions.",
        "child protection online management system\nsafeguarding records system",
    ),
    (
        "nspcc",
        "NSPCC",
        "National Society for the Prevention of Cruelty to Children",
        "The UK children's charity; it publishes learning from case reviews.",
        "national society for the prevention of cruelty to children",
    ),
    (
        "gp",
        "GP",
        "General Practitioner",
        "A family doctor working in primary care.",
        "general practitioner\ngeneral practitioners\nfamily doctor\nGP practice\n"
        "primary care",
    ),
    (
        "hv",
        "HV",
        "Health Visitor",
        "A nurse or midwife with specialist training who supports families with babies "
        "and children under five.",
        "health visitor\nhealth visitors\nhealth visiting",
    ),
    (
        "ed",
        "ED",
        "Emergency Department",
        "The hospital department for urgent and emergency care.",
        "emergency department\nA&E\naccident and emergency\nA and E",
    ),
    (
        "a-and-e",
        "A&E",
        "Accident and Emergency",
        "The hospital emergency department.",
        "accident and emergency\nA and E\nED\nemergency department",
    ),
    (
        "plo",
        "PLO",
        "Public Law Outline",
        "The process the local authority follows before and during care proceedings, "
        "including the pre-proceedings stage.",
        "public law outline\npre-proceedings\ncare proceedings",
    ),
    (
        "lado",
        "LADO",
        "Local Authority Designated Officer",
        "The officer who manages allegations that an adult working with children has "
        "harmed a child or may pose a risk to children.",
        "local authority designated officer\ndesignated officer\nallegations against staff\n"
        "allegations management",
    ),
    (
        "iro",
        "IRO",
        "Independent Reviewing Officer",
        "The social worker who chairs reviews of a child in care's plan and makes sure "
        "the child's wishes are heard.",
        "independent reviewing officer",
    ),
    (
        "send",
        "SEND",
        "Special Educational Needs and Disabilities",
        "Learning difficulties or disabilities that make it harder for a child to learn "
        "than most children of the same age.",
        "special educational needs and disabilities\nspecial educational needs\nSEN\n"
        "disabled children\ndisabled child",
    ),
    (
        "ehcp",
        "EHCP",
        "Education, Health and Care Plan",
        "A legal plan for a child with special educational needs, setting out the support "
        "they need.",
        "education health and care plan\neducation, health and care plan",
    ),
    (
        "fgm",
        "FGM",
        "Female Genital Mutilation",
        "Procedures that cut or injure the female genital organs for non-medical reasons: "
        "illegal in the UK and child abuse.",
        "female genital mutilation",
    ),
    (
        "yjs",
        "YJS",
        "Youth Justice Service",
        "The local multi-agency service that works with children in trouble with the law.",
        "youth justice service\nyouth justice\nYOT\nyouth offending team",
    ),
    (
        "cyp",
        "CYP",
        "Children and Young People",
        "Children and young people up to the age of 18 (sometimes 25).",
        "children and young people",
    ),
    (
        "pshe",
        "PSHE",
        "Personal, Social, Health and Economic education",
        "The school subject that covers relationships, health and keeping safe.",
        "personal social health and economic education\nrelationships education",
    ),
    # Words practitioners use for the same people and things.
    (
        "father",
        "Father",
        "",
        "Fathers and male carers: birth fathers, stepfathers and a mother's partner, who "
        "reviews often find were not seen, assessed or involved.",
        "fathers\ndad\ndads\ndaddy\nmale carer\nmale carers\nstepfather\nstepdad\n"
        "step-father\nmother's partner\nmum's partner\nfather figure\nhidden men\n"
        "invisible men",
    ),
    (
        "mother",
        "Mother",
        "",
        "Mothers and female carers: birth mothers, stepmothers and a father's partner.",
        "mothers\nmum\nmums\nmummy\nmom\nfemale carer\nfemale carers\nstepmother\nstepmum\n"
        "father's partner",
    ),
    (
        "parents-and-carers",
        "Parents and carers",
        "",
        "The adults who look after a child: parents, step-parents, kinship carers and "
        "foster carers.",
        "parent\nparents\ncarer\ncarers\ncaregiver\ncaregivers\nparenting",
    ),
    (
        "baby",
        "Baby",
        "",
        "A child under one year old.",
        "babies\ninfant\ninfants\nnewborn\nnew born\nnew-born\nneonate\nunder one",
    ),
    (
        "teenager",
        "Teenager",
        "",
        "A child aged 13 to 19: older children whose needs and risks are often missed.",
        "teenagers\nteen\nteens\nadolescent\nadolescents\nadolescence\nyoung person\n"
        "young people\nolder child\nolder children",
    ),
    (
        "home-conditions",
        "Home conditions",
        "",
        "The state of the home a child lives in: cleanliness, safety, food, heating and "
        "sleeping arrangements.",
        "home environment\nliving conditions\nstate of the home\nhousehold conditions\n"
        "condition of the home",
    ),
    (
        "professional-curiosity",
        "Professional curiosity",
        "",
        "Looking beyond what is said or seen, asking questions and checking what you are "
        "told, instead of taking things at face value.",
        "curiosity\ncurious\nrespectful uncertainty\nthink the unthinkable",
    ),
    (
        "escalation",
        "Escalation",
        "",
        "Raising a concern with a more senior colleague or another agency when you "
        "disagree with a decision about a child's safety.",
        "professional challenge\nprofessional disagreement\nescalation policy\n"
        "resolving professional disagreements\nescalate",
    ),
    (
        "voice-of-the-child",
        "Voice of the child",
        "",
        "What a child says, shows and feels about their life, and how it shapes the "
        "decisions about them.",
        "child's voice\nlived experience\nwishes and feelings\nday in the life",
    ),
    (
        "disguised-compliance",
        "Disguised compliance",
        "",
        "When parents or carers appear to cooperate with professionals to allay concerns "
        "and stop their involvement, without real change.",
        "apparent compliance\nfalse compliance\nsuperficial compliance",
    ),
    (
        "substance-misuse",
        "Substance misuse",
        "",
        "Harmful use of drugs or alcohol, by parents or carers or by young people.",
        "drug misuse\nalcohol misuse\ndrugs and alcohol\nsubstance use\ndrug use\n"
        "alcohol use",
    ),
    (
        "toxic-trio",
        "Toxic trio",
        "",
        "Domestic abuse, parental mental ill health and substance misuse together: a "
        "combination often found in serious case reviews. Many now say 'trigger trio'.",
        "trigger trio",
    ),
    (
        "information-sharing",
        "Information sharing",
        "",
        "Sharing what agencies know about a child and family, safely and in time, so that "
        "the whole picture is seen.",
        "sharing information\nshare information\ninformation-sharing",
    ),
    (
        "child-on-child-abuse",
        "Child-on-child abuse",
        "",
        "Abuse of a child by another child, including sexual harassment, bullying and "
        "sexual violence.",
        "child on child abuse\npeer on peer abuse\npeer-on-peer abuse\npeer abuse",
    ),
    (
        "self-harm",
        "Self-harm",
        "",
        "When a child hurts themselves on purpose, often to cope with overwhelming "
        "feelings.",
        "self harm\nself-injury\nself injury\nself-harming",
    ),
    (
        "missing-children",
        "Missing children",
        "",
        "Children who go missing from home or care, who may be at risk of exploitation.",
        "missing from home\nmissing from care\nmissing episodes\ngoing missing\n"
        "return home interview",
    ),
    (
        "online-safety",
        "Online safety",
        "",
        "Keeping children safe from harm online: grooming, sexual abuse images, "
        "harmful content and bullying.",
        "online harm\nonline harms\ninternet safety\nsocial media",
    ),
]


def seed(apps, schema_editor):
    GlossaryTerm = apps.get_model("themes", "GlossaryTerm")
    now = timezone.now()
    for slug, term, expansion, definition, synonyms in TERMS:
        obj, _ = GlossaryTerm.objects.update_or_create(
            slug=slug,
            defaults={
                "term": term,
                "expansion": expansion,
                "definition": definition,
                "synonyms": synonyms,
                "status": "published",
            },
        )
        if obj.published_at is None:
            GlossaryTerm.objects.filter(pk=obj.pk).update(published_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0002_glossaryterm"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]

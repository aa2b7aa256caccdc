"""The phrases the clause rules look for, as regular expressions and word sets (see :mod:`~dealweb.extract.clauses`)."""

from __future__ import annotations

import re

from dealweb.model.vocab import DealKind, EntityKind

_PROVIDER_DEALS = frozenset({DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE, DealKind.LEASE})
#: A deal noun without a kind word: the provider's entity kind says what was bought.
_DEAL_NOUN = re.compile(r"\b(?:contract|deal|agreement|pact|order(?![- ]?book)|partnership|arrangement|commitment)s?\b", re.I)
_KIND_BY_PROVIDER = {"cloud_provider": DealKind.COMPUTE_COMMITMENT, "neocloud": DealKind.COMPUTE_COMMITMENT,
                     "chipmaker": DealKind.CHIP_PURCHASE, "data_center": DealKind.LEASE,
                     "ai_lab": DealKind.COMPUTE_COMMITMENT}
# Spending verbs: with no kind word, what is bought follows from who sells it ("spend $3 billion on OpenAI's products").
_SPEND = re.compile(r"\b(?:spend(?:s|ing)?|spent|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing))\b[^;]{0,60}\b(?:on|from)\b",
                    re.I)
# Who sells in a deal of each kind, most likely first: the party with the higher rank receives
# the money when the words leave the direction open ("signed a lease with", "a contract with").
# An AI lab is the customer of compute, chips and space (ranked below a company of any other kind): "SpaceX struck a
# compute agreement with Reflection AI" has the lab paying.
_SELLER_RANK: dict[DealKind, dict[str, int]] = {
    DealKind.COMPUTE_COMMITMENT: {"neocloud": 3, "cloud_provider": 2, "data_center": 2, "chipmaker": 1, "ai_lab": -1},
    DealKind.CHIP_PURCHASE: {"chipmaker": 3, "cloud_provider": 1, "neocloud": 1, "ai_lab": -1},
    DealKind.LEASE: {"data_center": 3, "neocloud": 2, "cloud_provider": 1, "ai_lab": -1},
}
_SUPPLIER_VERB = re.compile(r"\b(?:suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|sell(?:s|ing)?|sold|deliver(?:s|ed|ing)?|"
                            r"rent(?:s|ed|ing)? out|lease(?:s|d)? (?:[\w-]+ ){0,4}to)\b", re.I)
# "receive X's investment", "secured a loan from": the subject is paid.
_RECEIVE = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:receiv\w*|gets?|got|secur\w*|land\w*|win|wins|won|accept\w*)\s+"
                      r"(?:an?\s+|the\s+)?$", re.I)
# Roles that state the direction outright: "buys from X", "pays X".
# "Meta Platforms' $30 billion debt offering": the possessor owns the deal.
_OWNS_DEAL = re.compile(r"'s?\s+(?:[$€£\d]|(?:\w+\s+){0,2}(?:deal|contract|agreement|investment|acquisition|purchase|loan|"
                        r"bonds?|debt|offering|order|lease|commitment|financing)\b)", re.I)
# Talks, rumours and refusals: "closing in on", "in advanced talks", "turned down", "is not seeking".
_TALKS = re.compile(r"\b(?:closing in on|^talks\b|talks (?:over|on|about|with)\b|"
                    r"(?:in|entered|enters|held|holding) (?:advanced |early |exclusive )?(?:talks|discussions|"
                    r"negotiations)|close to (?:a|an|the) (?:deal|agreement)|"
                    r"close to (?:finali[sz]|complet|clos|seal|sign)\w*|nearing (?:a|an|the) (?:deal|agreement)|"
                    r"(?:is|are|was|were) (?:exploring|weighing|considering|mulling)|"
                    # a headline's "nears/eyes $10 billion cloud deal"
                    r"(?:nears|nearing|eyes|eyeing|mulls|weighs)\s+(?:an?\s+|the\s+)?(?:[^.;]|\.(?=\d)){0,40}?\b(?:deal|pact|agreement|"
                    r"contract|investment|stake|loan|financing|facility|round)s?|"
                    # a deal still being put together: "is finalising a loan", "was preparing an agreement to buy",
                    # "is working on a $20 billion deal", "is discussing buying", "is negotiating"
                    r"(?:is|are|was|were)\s+(?:now\s+|reportedly\s+|still\s+)?(?:finali[sz]ing|preparing|working on|"
                    r"hammering out|negotiating|discussing|in the process of)\b)\b", re.I)
_REFUSED = re.compile(r"\b(?:turn(?:ed|s|ing) down|reject(?:ed|s|ing)|spurn(?:ed|s|ing)|declin(?:ed|es|ing) (?:an?|the) "
                      r"(?:[\w$€£.,-]+ ){0,4}?(?:offer|bid|proposal)|(?:is|are|was|were) not seeking|"
                      r"denied (?:any|a|the|that)|called off|walked away|(?:will|would) not be (?:funding|financing|"
                      r"investing|buying)|(?:will|would|did) not (?:fund|finance|invest)|(?:won't|didn't) (?:fund|finance|"
                      r"invest)|pulled out of|backed out of|"
                      # a deal said not to have happened: "Google is not acquiring Windsurf", "hasn't bought it"
                      r"(?:(?:is|are|was|were|has|have|had|does|do|did)\s+not|isn't|aren't|wasn't|weren't|hasn't|"
                      r"haven't|hadn't|doesn't|don't|didn't)\s+(?:acquir(?:e|ed|ing)|buy(?:ing)?|bought|"
                      r"purchas(?:e|ed|ing)|tak(?:e|en|ing) over))\b", re.I)
_TENANT_VERB = re.compile(r"\b(?:rent(?:s|ed|ing)?|(?:to|will|would|and) (?:lease|rent)|leased|leasing|buy(?:s|ing)?|"
                          r"bought|purchas\w*|order\w*|"
                          r"commit\w* to (?:spend|buy|purchase)|pay(?:s|ing)?|paid)\b(?! out\b| to\b)", re.I)
_EXPLICIT_ROLES = frozenset({"from", "dative", "on", "by"})
_FOLLOW_WORTH = re.compile(r"\s*(?:it|the (?:deal|contract|agreement|investment|order|lease|loan|package|commitment))\b"
                           r"[^$€£]{0,60}\b(?:is|was|will be|would be|could be)\s+(?:worth|valued at)\b", re.I)
_CLOUDS = frozenset({EntityKind.CLOUD_PROVIDER, EntityKind.NEOCLOUD})
_BORROW = re.compile(r"\bborrow(?:s|ed|ing)?\b|\b(?:took|take|takes|taking) out\b|\b(?:secur|clos|obtain|land|arrang|"
                     r"sign|get|got|enter)\w*\b[^;$€£]{0,25}[^;]{0,40}\b(?:loan|(?:credit|debt|loan) facility|"
                     r"credit line|line of credit|revolver|debt financing)\b", re.I)
# Words of issuing bonds: the buyers are the bond-investor group.
_ISSUE = re.compile(r"\b(?:sold|sells?|selling|sale|issu\w*|rais\w*|priced|pric(?:es|ing)|market\w*|offering|tap\w*)\b",
                    re.I)
_SOLD = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:sold|sells|sell|selling|issued|issues)\b", re.I)
# The subject's own verb is "raise" ("X raised $75 billion in its IPO"), not a raise named later in the clause.
_RAISE = re.compile(r"^\s*(?:[\w']+\s+){0,3}?(?:rais(?:e|es|ed|ing)\b|(?:clos|complet|announc|finaliz|finalis)\w*\s+"
                    r"(?:an?\s+|its\s+|the\s+)?(?:[$€£][\w.,-]{1,12}(?:\s+(?:billion|million|bn|m))?\s+)?"
                    r"(?:[\w-]+\s+){0,2}?(?:funding|financing|investment)?\s*round\b|"
                    # "secured $120 million in Series A funding", "landed a $505 million investment", "raked in $500
                    # million in a round": other verbs of taking in a round's money, the figure first.
                    r"(?:secur|land|clos|bagg?|garner|pull|rak|reel|haul|snagg?|nett?|brought|bring|pick)\w*(?:\s+in)?\s+"
                    r"(?:an?\s+|another\s+|its\s+|some\s+)?(?:(?:fresh|new|massive|whopping|additional|further|hefty)\s+)?"
                    r"(?:[A-Z]{1,3})?[$€£¥₹][\d.,]+(?:\s*(?:billion|million|bn|mn|m|b)\b)?(?:\s+in)?\s+"
                    r"(?:[\w-]+\s+){0,3}?(?:funding|financing|investment|round|seed|Series\s+[A-Z]\b|venture capital))",
                    re.I)
_EACH = re.compile(r"\beach\b(?!\s+(?:quarter|year|month|week|day|time|other)\b)|\bapiece\b", re.I)
_HOLDER_VERB = re.compile(r"\b(?:receiv\w*|gets?|got|obtain\w*|secur\w*|earn\w*|acquir\w*|buy\w*|bought|purchas\w*|"
                          r"(?:was|were|be|been) (?:granted|issued|given))"
                          r"\b[^;]{0,40}\bwarrants?\b", re.I)
_NAMED = re.compile(r"\b(?:named|called|dubbed|known as)\s+[\"“']?$", re.I)
# A venture's name in apposition ("a joint venture, SB OpenAI Japan,"): only a name the ledger does not hold.
_NAMED_APPOSED = re.compile(r"\b(?:joint venture|venture|JV),\s+$", re.I)
# Roles in which a name the directory does not know is taken as a company (not a place or product).
_UNKNOWN_ROLES = frozenset({"subj", "from", "by", "with", "to", "dative", "poss", "led", "named", "obj", "between"})
# A company right after a buying verb is being bought ("agreed to buy Aligned Data Centers"), unless a product follows.
_BUY_OBJECT = re.compile(r"\b(?:acquir\w*|buy|buys|bought|buying|purchas\w*(?: of)?|take over|takes over|took over|"
                         r"taking over|(?:acquisition|takeover|buyout) of|snap(?:s|ped|ping)? up|scoop(?:s|ed|ing)? up|"
                         # "agreed to pay $32 billion in cash for Wiz": a price for a company
                         r"pa(?:y|ys|id|ying)\s+(?:about\s+|roughly\s+|around\s+|more than\s+|nearly\s+|over\s+|some\s+)?"
                         r"[$€£][\d.,]+\s*(?:billion|million|trillion|bn|m)?\s+(?:in\s+(?:cash|stock|cash and stock)\s+)?for)"
                         r"\s+(?:the\s+)?(?:[\w.-]+-based\s+)?"
                         # lower-case descriptor words a descriptor reader left ("acquiring open source database Neon")
                         r"(?:(?!(?:from|with|to|for|in|into|of|on|at|by|and|or|its|their|his|her|a|an|more|some|"
                         r"stakes?|shares?|chips?|gpus?|capacity|assets?|units?|divisions?|stock)\b)"
                         r"(?-i:[a-z][a-z-]*)\s+){0,4}$", re.I)
_PRODUCT_AFTER = re.compile(r"^(?:'s)?\s*(?:[\w.-]+\s+){0,3}?(?:chips?|gpus?|tpus?|systems?|servers?|racks?|hardware|"
                            r"processors?|accelerators?|capacity|compute|shares?|stock|stakes?|products?|services?|"
                            r"equipment|semiconductors?|memory|bonds?|notes|debt|power|energy|licen[cs]es?)\b", re.I)
_FROM_PAYS = frozenset({DealKind.EQUITY_INVESTMENT, DealKind.DEBT})
_BACKGROUND = (
    re.compile(r",\s*(?:which|who|whose)\b(?!\s+(?:in turn|will in turn|itself|then)\b)[^,;]*(?:,|$)"),
    re.compile(r",\s*(?:a|an)\s+(?!deal\b|contract\b|agreement\b)[^,;$€£]*(?:,|$)"),
    # (not "from Macquarie-managed funds": there the manager stands for the funds it runs, the seller or lender)
    re.compile(r"(?:(?<!\bfrom )|(?=\S+\s+[A-Z]))\b(?:[A-Z][\w.]*\s){0,2}(?!(?:asset|mortgage|lease|receivables?)-)(?!co-led\b)"
               r"[\w.]+-(?:backed|owned|based|led|powered|made|"
               r"designed|built|managed|controlled|funded|linked)\b"),
    re.compile(r",\s*(?:[A-Z][\w.]*\s?){1,3}(?:said|says|told|reported|added)\.?$"),
    # A trailing attribution with no figure in it (", the outlet cited the OpenAI chief as saying").
    re.compile(r",\s*(?:according to\b|citing\b|(?:the\s+)?(?:[\w.'-]+\s+){0,4}(?:said|says|told|reported|added|cited|"
               r"wrote)\b)[^;,$€£\d]*$"),
    re.compile(r"\((?:[^()]{0,80})\)"),
    re.compile(r",\s*(?:pushing|bringing|releasing|increasing|lifting|valuing|making|adding|taking|giving|leaving)\b"
               r"[^;]*$"),
    re.compile(r",\s*(?:powered|built|backed|run|operated|owned|supported)\s+by\b[^,;]*"),
    # A descriptive appositive, a noun phrase between commas ("ASML, the Dutch chip equipment maker, invested"): its
    # words describe the company and do not vote on the deal's kind.
    re.compile(r",\s*the\s+(?:[\w.'-]+\s+){0,5}?(?:maker|company|firm|startup|start-up|group|giant|lab|developer|"
               r"provider|operator|investor|fund|bank|conglomerate|chipmaker|designer|manufacturer|owner|parent|unit|"
               r"outfit|specialist|platform|business|rival|supplier|lender|landlord)\s*,"),
)
# Spans whose deal words describe something else (a reduced or pronoun relative clause): they do
# not vote on the kind, though the names in them still count.
#: "…, which in turn will buy $5.8 billion of equipment from Dell": a relative clause that is a deal of its own.
_RELATIVE_TURN = re.compile(r"\s*(?:which|who)\s+(?:in turn|will in turn|itself|then)\b", re.I)
#: "… that it will rent out to OpenAI": a pronoun relative clause tells a later use, not this deal.
_PRONOUN_RELATIVE = re.compile(r"\b(?:that|which)\s+(?:it|they|we|he|she)\b[^,;]*")
_CUE_ONLY = (
    # How a price is paid is not what is bought: "for $4.9 billion in cash and stock", "an all-stock deal".
    re.compile(r"\b(?:in|of)\s+(?:cash\s+(?:and|or|plus)\s+)?(?:stock|shares)\b(?!\s+(?:of|in)\b)|\ball-(?:stock|share|cash)\b|"
               r"\bin\s+cash\s+(?:and|or|plus)\s+(?:stock|shares)\b|"
               # "a $3 billion cash-and-stock transaction", "a stock deal": the price's form, not a stake bought
               r"\bcash\s+(?:and|or|plus)\s+(?:stock|shares?)\s+(?:deal|transaction|offer|merger)\b|"
               r"\b(?:a|an|the)\s+stock\s+(?:deal|transaction|swap)\b|"
               r"\b(?:cash-and-stock|stock-and-cash|cash-and-shares)\b|"
               # … and the debt taken on with the company: "for $4.75 billion in cash, plus the company's debt"
               r"\b(?:plus|including|includes|and|with)\s+(?:the\s+)?(?:(?:company|target|firm)['’]s\s+|its\s+|their\s+|"
               r"net\s+|assumed\s+|outstanding\s+)*debt\b|\bassum\w+\s+(?:\w+\s+){0,2}?debt\b|\bnet of debt\b", re.I),
    re.compile(r"\b(?:through|via|in the form of|using|structured as)\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,2}"
               r"(?:warrants?|notes?|convertible\w*|preferred|shares|stock|debt)\b", re.I),
    _PRONOUN_RELATIVE,
    re.compile(r"\b(?:built|based|powered|running|made|designed)\s+(?:on|by|with|around)\b[^,;]*"),
    # What a warrant is for is not bought now: "warrants for some 10 million of Acme's shares, or about
    # 4% of the company" (the rest of the clause describes the warrant).
    re.compile(r"(?<=\bwarrants )(?:to\s+(?:buy|purchase|acquire)|for|over|on)\b[^;]*", re.I),
    # Collateral secures a loan and is not bought: "borrow $10 billion using Nvidia GPUs as collateral".
    re.compile(r"\b(?:using|with|against|backed by)\s+(?:[\w'’-]+\s+){0,4}?(?:GPUs?|chips?|servers?|hardware)\s+as\s+"
               r"collateral\b|\b(?:GPU|chip|hardware)[- ]collateral(?:i[sz]ed)?\b", re.I),
    # A closing comment on the deal says what the market is like, not what the deal is: ", the newest of many takeovers in a
    # market buyout funds have crowded into".
    re.compile(r",\s+(?:marking|underscoring|highlighting|signall?ing|reflecting|adding to|the latest (?:deal|sign|move)|"
               r"in the latest)\b[^;]*", re.I),
    # A purpose clause says what the money is for, not what kind of deal it is ("a credit facility to buy GPUs").
    # (It stays last: clauses.py reads it as _CUE_ONLY[-1] when nothing else names a kind.)
    re.compile(r"\b(?:to|in order to|which will|that will)\s+(?:help\s+(?:\w+\s+)?)?(?:scale|fund|finance|build|expand|support|"
               r"pay for|add|power|develop|grow|accelerate|boost|meet|bolster|expedite|speed up|fuel|ramp up|advance|"
               r"strengthen|construct|enhance|bankroll|create)\b[^;]*", re.I),
)
# The speaker may carry an appositive: "Nscale, the British AI cloud company, said …".
# A passive ("the deal … was announced on Thursday") is not a company reporting.
# An opening setting may come first ("Under the agreement, Intel said on Tuesday it sold …").
_REPORTING = re.compile(r"^(?:(?:(?:But|And|Yet|Still),?\s+(?=[a-z]))?(?i:In|On|At|During|Earlier|Later|Separately|"
                        r"Meanwhile|However|Also|Additionally|Moreover|Elsewhere|Today|Yesterday|According to|Under|"
                        r"As part of|Per)\b[^,;$€£\d]{0,60},\s+)?"
                        r"(?P<who>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3},\s[^,;]{2,60},|[^,;]{0,80}?)"
                        r"(?<!\bwas)(?<!\bwere)(?<!\bbeen)(?<!\bbe)(?<!\bis)(?<!\bare)(?<!\bbeing)"
                        # a reduced passive after a deal noun ("… in a deal announced on Tuesday") reports nothing
                        r"(?<!\bdeal)(?<!\bdeals)(?<!\bagreement)(?<!\btransaction)(?<!\bcontract)(?<!\bpact)"
                        r"(?<!\binvestment)(?<!\bacquisition)(?<!\bpartnership)(?<!\bround)(?<!\bplan)(?<!\bplans)"
                        r"\s+(?:on \w+\s+|in a (?!(?:deal|agreement|transaction|contract|pact|move)\b)\w+\s+)?"
                        r"(?:said|says|disclosed|announced|reported|"
                        r"confirmed|noted|revealed|told investors)"
                        r"(?:\s+(?:on\s+)?(?:today|yesterday|\w+day|late \w+|earlier this \w+)\b|\s+on\s+(?:Jan|Feb|Mar|Apr|May|"
                        r"Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?\s+\d{1,2}(?:,\s+\d{4})?(?!\d))?"
                        r"(?:\s+that)?\s+", re.I)
_SPLIT = re.compile(r";\s*|:\s+(?=[A-Z])|,\s*(?=(?:which|who)\s+(?:in turn|will in turn|itself|then)\b)|"
                    r",\s*with\s+(?=[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)*\s+(?!(?:leading|co-leading)\b)\w+ing\b)|"
                    r",\s*(?:while|whereas|but|when)\s+|\s+(?:while|after)\s+|,\s*and\s+(?=[A-Z]|it\b|its\b|the\b)|"
                    r"(?<!\bInc)(?<!\bCorp)(?<!\bCo)(?<!\bLtd)(?<!\bU\.S)(?<![A-Z])\.\s+(?=[A-Z])|\s+and\s+(?=(?:bought|buys|buy|signed|signs|agreed|agrees|took|takes|took|placed|"
                    r"is|was|will|has|received|receives|granted|grants|gets|got|raised|raises|sold|sells|plans|"
                    r"committed|commits|invested|invests|pays|paid|leased|leases|wrote|writes|pledged|pledges|"
                    r"dropped|poured|pours|injected|lent|lends|ordered|orders)\b)|"
                    # "… will buy $6 billion of GPUs from Nvidia and lease $2 billion of space from X": a second verb
                    # (bare, after a modal) with its own figure or party starts a second deal.
                    r"\s+and\s+(?=(?:lease|rent|invest|buy|purchase|pay|acquire|lend|borrow|spend|commit|supply|provide)"
                    r"\s+(?:[$€£]|up to\b|about\b|another\b|an additional\b|a further\b|[A-Z]))|"
                    r"\s+and\s+(?=to\s+(?:lease|rent|invest|buy|purchase|pay|acquire|lend|borrow|spend|supply|provide)\b)")
#: A company named by description or pronoun in subject position ("The AI cloud startup", "It", "The Google parent").
# A short time phrase before the subject: "In September, it …", "Last week, the company …".
_OPENER = re.compile(r"^(?:(?:In|On|Last|Earlier|Later|This|By|Since|Back in)\b[^,;$€£]{0,30},\s*)")
_DESCRIBED = re.compile(r"(?:it|they|the\s+(?:[\w.'-]+\s+){0,4}?(?:company|startup|start-up|firm|lab|group|giant|maker|"
                        r"developer|provider|operator|parent|conglomerate|chipmaker|outfit|unit|business|owner|"
                        r"hyperscaler|platform|designer|manufacturer|specialist|player|challenger|rival|newcomer|"
                        r"neocloud|lender|bank|investor|fund|landlord|miner|supplier|vendor))\b",
                        re.I)
_ANAPHORA = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,3}?(?:startup|start-up|company|firm|lab|group|chipmaker|"
                       r"round|business|maker|developer|provider|operator|giant|neocloud|hyperscaler|lender|bank|"
                       r"investor|fund|landlord|supplier|vendor)\b|\bit\b|\bits\b", re.I)
_PASSIVE_BY = re.compile(r"\b(?:was|were|been|being|is|are|to be)\s+(?:\w+\s+)?\w+(?:ed|ought|ught|en)\s+(?:private\s+)?by\s+"
                         r"(?:the\s+)?$|"
                         r"\b(?:was|were|been|being|is|are|to be)\s+(?:\w+\s+)?\w+(?:ed|ought|ught|en)\s+by\s*$", re.I)
_DATIVE = re.compile(r"\b(?:pay|pays|paid|paying|lent|lend|lends|lending|granted|grant|grants|give|gives|gave|"
                     r"issued|issue|issues|offered|offers|sold|sell|sells)\s*$", re.I)
# The role word before a descriptor of the company: "of fresh capital to Dublin hosting business Corvid Data".
_PREP_DESCRIBED = re.compile(r"\b(from|into|in|to|with|for)\s+(?:the\s+|a\s+|an\s+)?(?:(?!(?:from|into|in|to|with|for|and|"
                             r"of|by|on|at)\b)[\w.'’-]+\s+){0,4}(?:business|firm|company|startup|start-up|operator|owner|"
                             r"developer|provider|maker|manufacturer|platform|specialist|subsidiary|outfit|lab|unicorn)"
                             r"\s+$", re.I)
_PREP = re.compile(r"\b(from|by|into|in|to|towards?|with|on|at|of|for|through|between)\s+(?:the\s+|a\s+)?$", re.I)
_BOND_SALE = re.compile(r"\b(?:bonds?|notes|note offering|debt offering|bond sale|bond deal|debt sale|debt markets?|"
                        r"bond markets?|"
                        r"bond issuance|asset-backed securities|securiti[sz]ation)\b", re.I)
_LOAN_FROM_GROUP = re.compile(r"\bbanks?\b|\blenders?\b", re.I)
# A maker named only to say whose product it is: "Nvidia's latest GB300 GPUs", "Nvidia GB300 systems".
_MAKER_OF_PRODUCT = re.compile(r"^(?:'s|’s)?\s*(?:(?!(?i:for|to|from|with|and|or|in|into|on|at|of|by|its|their|the|an?|"
                               r"will|would|is|are|was|were|has|have|had|that|which|who|also|under)\b)[\w.-]+\s+){0,3}?"
                               r"(?:chips?|GPUs?|TPUs?|processors?|accelerators?|semiconductors?|servers?|systems?|"
                               r"superchips?|hardware)\b")

"""The JSON Schemas for the policy files, written once here and saved to policies/schema/.

Rules come in value kinds (amount, percent, tiers, ...). Each kind needs its own shape for a
value, and that shape repeats inside every dated period and every per-category case, so the
schema is generated rather than hand-copied. `make schema` (python -m policy_contract.schema) rewrites the
files; a test fails when the committed files differ from what this module generates.

Every `title` and `description` is written here with its Simplified Chinese twin beside it
(`titled(en, zh)`, `said(en, zh)`): the English stays in the standard keywords, which editors' IDEs
show, and the Chinese goes in the annotations `x-title-zh` / `x-description-zh`, which validation
ignores and the Chinese key reference (/zh/editors/reference/) shows.
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "policies" / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# ---------------------------------------------------------------------------------------------
# Data: the value kinds and what a value of each kind looks like
# ---------------------------------------------------------------------------------------------

COMPARISONS = ["at_least", "more_than", "at_most", "less_than"]
VARIES_BY = ["category", "entity_type", "brand_relationship", "store_type", "seller_type", "medal",
             "service_level"]

# Text that is not empty and not only spaces: an empty translation is a missing one.
# (bundle._explain turns a failure of this pattern into "the Chinese text (zh) is empty".)
NON_BLANK = {"type": "string", "pattern": "\\S"}
LANGUAGES = {"en": "English", "zh": "Chinese"}  # every policy text is written in both

# The schemas' own words in both languages, side by side where they are written. `title` and
# `description` stay English: they are what editors' IDEs (yaml-language-server) show on hover.
# The Chinese twin goes in an annotation keyword of our own, which JSON Schema validation ignores;
# the key reference's Chinese page (hooks/pages.py schema_reference) reads it.
TITLE_ZH = "x-title-zh"
DESCRIPTION_ZH = "x-description-zh"
TWINS = {"title": TITLE_ZH, "description": DESCRIPTION_ZH}


def said(en: str, zh: str) -> dict:
    """A node's description in English and Simplified Chinese."""
    return {"description": en, DESCRIPTION_ZH: zh}


def titled(en: str, zh: str) -> dict:
    """A schema's title in English and Simplified Chinese."""
    return {"title": en, TITLE_ZH: zh}


def annotation(node: dict, keyword: str, lang: str) -> str:
    """A node's `title` or `description` in `lang`: the Chinese twin on a Chinese page when it
    has one, else the English ("" when the node has neither)."""
    if lang == "zh" and str(node.get(TWINS[keyword], "")).strip():
        return node[TWINS[keyword]]
    return node.get(keyword, "") if isinstance(node.get(keyword), str) else ""


TEXT = {
    "type": "object",
    **said("Text in both languages: `en` (English) and `zh` (Simplified Chinese), both required "
           "and non-empty. The glossary (catalogue/glossary.yaml) fixes the terms.",
           "双语文本：`en`（英文）和 `zh`（简体中文），两者都必填且不能为空。术语以术语表"
           "（`catalogue/glossary.yaml`）为准。"),
    "properties": {"en": {**NON_BLANK, **said("The English text.", "英文文本。")},
                   "zh": {**NON_BLANK, **said("The Simplified Chinese text.", "简体中文文本。")}},
    "patternProperties": {"^[a-z]{2}(-[A-Z]{2})?$": NON_BLANK},
    "required": list(LANGUAGES),
    "additionalProperties": False,
}

ID = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"}

VALUE_KINDS: dict[str, dict] = {
    "amount": {"type": "number", "minimum": 0, "maximum": 1e12,
               **said("A sum of money in the rule's currency (`unit`).", "金额，以规则的币种（`unit`）计。")},
    "rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000,
             **said("An exchange rate: units of the first currency per unit of the second.",
                      "汇率：一单位第二种货币折合多少第一种货币。")},
    "percent": {"type": "number", "minimum": 0, "maximum": 100,
                **said("A percentage, 0 to 100.", "百分比，0 到 100。")},
    "count": {"type": "integer", "minimum": 0, "maximum": 1000000,
              **said("A whole number of the rule's `unit` (days, months, stores, ...).",
                      "以规则的 `unit`（天、月、店铺数……）计的整数。")},
    "boolean": {"type": "boolean", **said("true or false.", "`true` 或 `false`。")},
    "month_day": {"type": "string", "pattern": "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                  **said("A day of the year, MM-DD, repeating every year.", "一年中的某一天，格式 MM-DD，每年重复。")},
    "date": {"type": "string", "format": "date", **said("A calendar date, `YYYY-MM-DD`.", "日期，格式 `YYYY-MM-DD`。")},
    "list": {"type": "array", "items": ID, "uniqueItems": True,
             **said("A list of ids (store types, service levels, scopes, ...).",
                      "id 列表（店铺类型、服务等级、经营范围……）。")},
    "tiers": {
        "type": "array", "minItems": 1,
        **said("Tiers, lowest first: each pays `percent` when the figure compares to `amount`.",
                "档位，从低到高：数值与 `amount` 的比较成立时，适用该档的 `percent`。"),
        "items": {
            "type": "object",
            "properties": {
                "percent": {"type": "number", "minimum": 0, "maximum": 100,
                            **said("The percentage this tier gives, 0 to 100.", "该档位适用的百分比，0 到 100。")},
                "source": {"$ref": "#/$defs/source",
                           **said("Where this tier comes from, when it is not the period's `source` (one tier "
                                  "may be sourced and the next illustrative).",
                                  "该档位的来源，与本期的 `source` 不同时填写（可能一个档位有出处、另一个档位为示意）。")},
                "comparison": {"enum": ["at_least", "more_than"],
                               **said("at_least: the amount or more; more_than: strictly more.",
                                            "`at_least`：达到该金额及以上；`more_than`：严格超过该金额。")},
                "amount": {"type": "number", "minimum": 0, "maximum": 1e12,
                           **said("The threshold the figure is compared with, in the rule's currency (`unit`).",
                                  "与数值比较的门槛金额，以规则的币种（`unit`）计。")},
            },
            "required": ["percent", "comparison", "amount"],
            "additionalProperties": False,
        },
    },
    "text": {"$ref": "#/$defs/text", **said("A text in both languages (`en`, `zh`).", "双语文本（`en`、`zh`）。")},
    "text_list": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/text"},
                  **said("A list of texts, in order, each in both languages (`en`, `zh`).",
                         "按顺序排列的多段文本，每段都是双语（`en`、`zh`）。")},
}

# The units a rule of each kind may state. Money kinds name a currency.
UNITS: dict[str, list[str]] = {
    "amount": ["USD", "CNY"],
    "tiers": ["USD", "CNY"],
    "rate": ["CNY per USD"],
    "count": ["days", "hours", "months", "stores", "scopes", "listings"],
}

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _source() -> dict:
    return {
        **said("Where the value comes from: an id from catalogue/sources.yaml, or {ref, note}.",
                "数值的来源：`catalogue/sources.yaml` 中的一个 id，或 `{ref, note}`。"),
        "if": {"type": "string"},
        "then": ID,
        "else": {
            "type": "object",
            "properties": {"ref": {**ID, **said("The source's id in `catalogue/sources.yaml`.",
                                                 "来源在 `catalogue/sources.yaml` 中的 id。")},
                           "note": {**NON_BLANK, **said("What part of the value the source gives (English).",
                                                             "来源给出的是数值的哪一部分（英文）。")},
                           "note_zh": {**NON_BLANK, **said("The note in Simplified Chinese; required with `note`.",
                                                                "`note` 的简体中文版；有 `note` 时必填。")},
                           "covers": {**said("The categories or scopes the source speaks for (`all`: every "
                                             "category). Applied to any other category, the value is "
                                             "illustrative, extended from this source. Required on a seed or "
                                             "published default of a rule that varies by category.",
                                             "来源所针对的经营大类或经营范围（`all`：所有经营大类）。用于其他"
                                             "经营大类时，该数值为示意值，由此来源推及。按经营大类细分的规则，"
                                             "其默认值若来自种子文档或公开资料，必须填写此项。"),
                                      "if": {"type": "string"}, "then": {"const": "all"},
                                      "else": {"type": "array", "items": ID, "minItems": 1, "uniqueItems": True}}},
            "required": ["ref"],
            # A note is policy text too: it is shown in both languages. (A plain string, not an
            # {en, zh} object, because the pages, the feed and the calculators read `note` as text.)
            "dependentRequired": {"note": ["note_zh"], "note_zh": ["note"]},
            "additionalProperties": False,
        },
    }


VARIES_BY_SAID = said("The dimension `cases` are keyed by.", "`cases` 按哪个维度分项。")


def _kind_defs(kind: str) -> dict[str, dict]:
    """history, case and variation definitions for one value kind."""
    period = {
        "type": "object",
        **said("One dated value: in force from `from` up to and including `until` (or open-ended).",
                "一期数值：自 `from` 起生效，至 `until` 当日止（含当日）；没有 `until` 则一直有效。"),
        "properties": {
            "from": {"type": "string", "format": "date",
                     **said("The first day the value is in force, `YYYY-MM-DD`.",
                            "该数值开始生效的第一天，格式 `YYYY-MM-DD`。")},
            "until": {"type": "string", "format": "date",
                      **said("The last day the value is in force, `YYYY-MM-DD`; left out when it has no end.",
                             "该数值有效的最后一天（含当日），格式 `YYYY-MM-DD`；没有截止日期时省略。")},
            "value": {"$ref": f"#/$defs/value_{kind}"},
            "source": {"$ref": "#/$defs/source"},
        },
        "required": ["from", "value", "source"],
        "additionalProperties": False,
    }
    return {
        f"value_{kind}": VALUE_KINDS[kind],
        f"history_{kind}": {"type": "array", "minItems": 1, "items": period,
                            **said("The rule's dated values, oldest first.", "规则的各期数值，从早到晚排列。")},
        f"case_{kind}": {
            **said("Either a dated history, or a further variation (for example by medal).",
                    "各期数值，或按另一维度进一步细分（例如按金银牌）。"),
            "if": {"type": "array"},
            "then": {"$ref": f"#/$defs/history_{kind}"},
            "else": {"$ref": f"#/$defs/variation_{kind}"},
        },
        f"variation_{kind}": {
            "type": "object",
            "properties": {
                "varies_by": {"enum": VARIES_BY, **VARIES_BY_SAID},
                "values": {"$ref": f"#/$defs/history_{kind}"},
                "cases": {"type": "object", "additionalProperties": {"$ref": f"#/$defs/case_{kind}"},
                          **said("Values for particular ids of the `varies_by` dimension: each a dated "
                                 "history or a further variation.",
                                 "`varies_by` 维度中特定 id 的数值：每项为各期数值，或进一步细分。")},
            },
            "required": ["varies_by", "cases"],
            "additionalProperties": False,
        },
    }


def _rule(calculators: list[str]) -> dict:
    kind_rules = []
    for kind in VALUE_KINDS:
        then: dict = {
            "properties": {
                "values": {"$ref": f"#/$defs/history_{kind}"},
                "cases": {"type": "object", "additionalProperties": {"$ref": f"#/$defs/case_{kind}"}},
            }
        }
        if kind in UNITS:
            then["properties"]["unit"] = {"enum": UNITS[kind]}
            then["required"] = ["unit"]
        kind_rules.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then})
    return {
        "type": "object",
        "properties": {
            "title": {"$ref": "#/$defs/text"},
            "description": {"$ref": "#/$defs/text"},
            "kind": {"enum": list(VALUE_KINDS), **said("What kind of value the rule holds.", "规则所含数值的种类。")},
            "unit": {"type": "string", **said("Currency or unit: USD, CNY, days, months, ...",
                                                     "币种或单位：`USD`、`CNY`、`days`、`months`……")},
            "comparison": {"enum": COMPARISONS,
                           **said("How a figure is compared with the value: at_least, more_than, at_most, less_than.",
                                   "数值与规则值的比较方式：`at_least`、`more_than`、`at_most`、`less_than`。")},
            "applies_to": {"type": "array", "items": {"enum": calculators}, "uniqueItems": True,
                           **said("Calculators that apply this (temporary) rule while it is in force.",
                                   "在此（临时）规则生效期间应用它的计算器。")},
            "documentation_only": {"const": True,
                                   **said("No calculator reads this rule: it is stated on its page only. "
                                          "`check` refuses a rule that no calculator reads unless it says so.",
                                          "没有计算器读取此规则，它只在页面上列明。没有计算器读取的规则"
                                          "须写明此项，否则 `check` 会拒绝。")},
            "of": {"enum": VARIES_BY + ["scope"],
                   **said("For a list: the vocabulary its ids must come from.", "用于列表：其 id 须出自的词表。")},
            "varies_by": {"enum": VARIES_BY, **VARIES_BY_SAID},
            "values": {**said("The dated values: the default when `cases` has no entry.",
                             "各期数值：`cases` 中没有对应项时的默认值。")},
            "cases": {**said("Dated values for particular categories, scopes, seller types, ...",
                            "特定类目、经营范围、卖家类型等的各期数值。")},
        },
        "required": ["title", "kind"],
        "additionalProperties": False,
        "allOf": kind_rules + [
            {"if": {"required": ["cases"]}, "then": {"required": ["varies_by"]}},
            {"if": {"required": ["varies_by"]}, "then": {"required": ["cases"]}, "else": {"required": ["values"]}},
        ],
    }


def _example(calculators: list[str]) -> dict:
    return {
        "type": "object",
        **said("A worked example: a calculator's inputs and the result it must give. Run by pytest.",
                "计算示例：计算器的输入及其必须给出的结果，由 pytest 运行。"),
        "properties": {
            "title": {"$ref": "#/$defs/text"},
            "calculator": {"enum": calculators, **said("The calculator the example runs.", "示例运行的计算器。")},
            "as_of": {"type": "string", "format": "date",
                      **said("The day whose rules the calculator applies, `YYYY-MM-DD`.",
                             "计算器按哪一天生效的规则计算，格式 `YYYY-MM-DD`。")},
            "inputs": {"type": "object",
                       **said("The calculator's inputs by name, as its form and the command line take them.",
                              "计算器的各项输入，以输入名为键，与其表单和命令行所接受的相同。")},
            "expect": {
                "type": "object",
                **said("The result the calculator must give.", "计算器必须给出的结果。"),
                "properties": {
                    "verdict": {"type": "string",
                                **said("The verdict the result must have, such as `full_refund`.",
                                       "结果必须给出的结论，例如 `full_refund`。")},
                    "amounts": {"type": "object",
                                **said("Figures the result must give, by name, each exactly; figures not "
                                       "named here are not checked.",
                                       "结果必须给出的数值，以名称为键，须与此处完全相同；未列出的数值不检查。")},
                    "upcoming": {
                        "type": "array",
                        **said("The announced changes the result must list (its `upcoming`), in order; `[]` "
                               "when none may be. Each item's keys given here must match exactly; keys not given "
                               "are not checked.",
                               "结果必须列出的已公布规则变更（其 `upcoming`），按顺序；`[]` 表示不得有任何变更。"
                               "此处给出的每项键值须完全相同；未给出的键不检查。"),
                        "items": {
                            "type": "object",
                            "properties": {
                                "on": {"type": "string", "format": "date",
                                       **said("The day the change takes effect, `YYYY-MM-DD`.",
                                              "变更生效的日期，格式 `YYYY-MM-DD`。")},
                                "rule": {"type": "string", **said("The rule changed, as `topic.rule`.",
                                                                  "变更的规则，写作 `topic.rule`。")},
                                "from": {**said("The value before the change.", "变更前的数值。")},
                                "to": {**said("The value after the change.", "变更后的数值。")},
                                "verdict": {"type": "string",
                                            **said("The verdict the same inputs get under the change.",
                                                   "相同输入在变更后得到的结论。")},
                            },
                            "required": ["on", "rule"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["verdict"],
                "additionalProperties": False,
            },
        },
        "required": ["title", "calculator", "as_of", "inputs", "expect"],
        "additionalProperties": False,
    }


def topic_schema(calculators: list[str]) -> dict:
    defs: dict[str, dict] = {"text": TEXT, "source": _source(), "rule": _rule(calculators),
                             "example": _example(calculators)}
    for kind in VALUE_KINDS:
        defs.update(_kind_defs(kind))
    return {
        "$schema": DIALECT,
        "$id": "topic.schema.json",
        **titled("Policy topic", "政策主题"),
        **said("One topic of the handbook: its rules with dated values, and worked examples.",
               "手册中的一个主题：各条规则及其各期数值，以及计算示例。"),
        "type": "object",
        "properties": {
            "title": {"$ref": "#/$defs/text"},
            "summary": {"$ref": "#/$defs/text"},
            "rules": {"type": "object", "minProperties": 1,
                      **said("The topic's rules, keyed by a lower-case id; a rule's address is the file "
                             "name and this id, such as `refund.refund_tiers`.",
                             "本主题的各条规则，以小写 id 为键；规则的地址由文件名和此 id 组成，"
                             "例如 `refund.refund_tiers`。"),
                      "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                      "additionalProperties": {"$ref": "#/$defs/rule"}},
            "examples": {"type": "array", "items": {"$ref": "#/$defs/example"}},
        },
        "required": ["title", "summary", "rules"],
        "additionalProperties": False,
        "$defs": defs,
    }


def _labelled() -> dict:
    return {"type": "object", "properties": {"label": {"$ref": "#/$defs/text"}},
            "required": ["label"], "additionalProperties": False}


def categories_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "categories.schema.json",
        **titled("Business scopes and categories", "经营范围与经营大类"),
        "type": "object",
        "properties": {
            "source": {"$ref": "#/$defs/source"},
            "scopes": {
                "type": "object", "minProperties": 1,
                **said("The business scopes, keyed by id: a store trades in exactly one, and a rule that "
                       "varies by `category` may give a case for a whole scope.",
                       "各经营范围，以 id 为键：一个店铺只在一个经营范围内经营；按 `category` 细分的规则"
                       "也可以为整个经营范围设一项。"), "propertyNames": {"pattern": ID["pattern"]},
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "label": {"$ref": "#/$defs/text"},
                        "categories": {"type": "object", "minProperties": 1,
                                       **said("The business categories in this scope, keyed by the id "
                                              "that rules' `cases` and the calculators' `category` use.",
                                              "此经营范围下的经营大类（类目），以 id 为键；规则的 `cases` "
                                              "和计算器的 `category` 都使用此 id。"),
                                       "propertyNames": {"pattern": ID["pattern"]},
                                       "additionalProperties": _labelled()},
                    },
                    "required": ["label", "categories"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["source", "scopes"],
        "additionalProperties": False,
        "$defs": {"text": TEXT, "source": _source()},
    }


# What each closed vocabulary (catalogue/terms.yaml) lists, in the glossary's terms.
VOCABULARIES = {
    "entity_type": said("Kinds of business, how a seller is registered: each id with its `label`.",
                        "经营主体类型，即卖家的登记类型：每个 id 及其 `label`。"),
    "brand_relationship": said("Brand relationships, how the seller stands to the brand it sells: "
                               "each id with its `label`.",
                               "品牌授权关系，即卖家与所经营品牌的关系：每个 id 及其 `label`。"),
    "store_type": said("Store types, the kinds of store a seller opens: each id with its `label`.",
                       "店铺类型，即卖家开设的店铺种类：每个 id 及其 `label`。"),
    "seller_type": said("Seller types, how a new seller trades today: each id with its `label`.",
                        "卖家类型，即新商家目前的经营方式：每个 id 及其 `label`。"),
    "medal": said("Gold and silver medals, the platform's grading of its best sellers: each id with its `label`.",
                  "金银牌，即平台对优质卖家的评级：每个 id 及其 `label`。"),
    "service_level": said("Service levels, the store's monthly service grade: each id with its `label`.",
                          "服务等级，即按店铺近期表现每月评定的等级：每个 id 及其 `label`。"),
}


def terms_schema() -> dict:
    vocab = {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID["pattern"]},
             "additionalProperties": _labelled()}
    names = [v for v in VARIES_BY if v != "category"]
    return {
        "$schema": DIALECT,
        "$id": "terms.schema.json",
        **titled("Vocabularies", "词表"),
        "type": "object",
        "properties": {name: {**vocab, **VOCABULARIES[name]} for name in names},
        "required": names,
        "additionalProperties": False,
        "$defs": {"text": TEXT},
    }


def sources_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "sources.schema.json",
        **titled("Sources", "来源"),
        "type": "object",
        "propertyNames": {"pattern": ID["pattern"]},
        "additionalProperties": {
            "type": "object",
            "properties": {
                "kind": {"enum": ["seed", "published", "illustrative"],
                         **said("What the source is: `seed` (a seed document), `published` (secondary "
                                "public sources) or `illustrative` (no source gives the value).",
                                "来源的类别：`seed`（种子文档）、`published`（二手公开来源）或 "
                                "`illustrative`（示意值，没有任何来源给出此数值）。")},
                "file": {"type": "string", "pattern": r"^[0-9]{3}_[0-9a-f]+\.txt$",
                         **said("The seed document's file name, such as `000_9026841d5c459367.txt`; "
                                "required when `kind` is `seed`.",
                                "种子文档的文件名，例如 `000_9026841d5c459367.txt`；`kind` 为 `seed` 时必填。")},
                "label": {"$ref": "#/$defs/text",
                          **said("The short name a seller sees on a badge, such as \"egainnews article (Dec 2021)\".",
                                 "卖家在来源标记上看到的简称，例如“egainnews 文章（2021年12月）”。")},
                "title": {"$ref": "#/$defs/text",
                          **said("What the source is, to a seller: its kind, publisher and date where known "
                                 "(shown on hover).", "向卖家说明这是什么来源：类别，以及已知的发布方和日期（悬停时显示）。")},
                "publisher": {"$ref": "#/$defs/text", **said("Who published it, where the document names it.",
                                                             "发布方（文档中写明时填写）。")},
                "author": {"$ref": "#/$defs/text", **said("Who wrote it, where the document names it.",
                                                          "作者（文档中写明时填写）。")},
                "date": {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
                         **said("When it was published, as far as known: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
                                "发布日期（已知到哪一级就写到哪一级）：`YYYY`、`YYYY-MM` 或 `YYYY-MM-DD`。")},
                "url": {"type": "string", "pattern": "^https://",
                        **said("Where a reader can find it, when it has a web address.", "有网址时，读者可查阅的地址。")},
                "headline": {"$ref": "#/$defs/text",
                             **said("The document's own headline, for editors (the sources page).",
                                    "文档本身的标题，供编辑参考（来源页面）。")},
            },
            "required": ["kind", "label", "title"],
            "additionalProperties": False,
            "if": {"properties": {"kind": {"const": "seed"}}},
            "then": {"required": ["file"]},
        },
        "$defs": {"text": TEXT},
    }


def glossary_schema() -> dict:
    vocabularies = "|".join(v for v in VARIES_BY if v != "category")
    entry = {
        "type": "object",
        **said("One term of the handbook, in both languages, with a short definition.",
                "手册中的一个术语：中英文说法及简短释义。"),
        "properties": {
            "term": {"$ref": "#/$defs/text"},
            "definition": {"$ref": "#/$defs/text"},
            "terms": {"type": "array", "minItems": 1, "uniqueItems": True,
                      "items": {"type": "string", "pattern": f"^({vocabularies})\\.[a-z][a-z0-9_-]*$"},
                      **said("The vocabulary ids (catalogue/terms.yaml) this entry explains, "
                             "as vocabulary.id, such as store_type.official.",
                             "本条目解释的词表 id（`catalogue/terms.yaml`），写作 `vocabulary.id`，"
                             "例如 `store_type.official`。")},
            "topic": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$",
                      **said("The topic (a policy file's name, such as annual-fee) whose page states the rule "
                             "this term names: the site's search lists that page first for the term.",
                             "说明该术语所指规则的主题（政策文件名，例如 annual-fee）：站内搜索该术语时，"
                             "该主题的页面排在最前。")},
            "zh_established": {"type": "boolean",
                               **said("false when the seller centre has no established Chinese term "
                                      "and the handbook coined or described one (say why in zh_note).",
                                      "卖家中心没有通用的中文说法、由本手册自拟或描述时为 `false`"
                                      "（在 `zh_note` 中说明原因）。")},
            "zh_note": {"$ref": "#/$defs/text",
                        **said("Why this Chinese term: required when zh_established is false.",
                               "为何采用此中文说法；`zh_established` 为 `false` 时必填。")},
            "avoid": {"type": "array", "minItems": 1, "uniqueItems": True,
                      "items": {"type": "string", "minLength": 1, "pattern": "[\u4e00-\u9fff]"},
                      **said("Chinese words that must not stand for this term, such as another term's word: "
                             "where the English names this term (and not the other), the Chinese may not hold "
                             "them (tests/test_glossary.py holds the site's and calculators' words to it).",
                             "不得用来指称本术语的中文词（例如另一个术语的词）：英文提到本术语（而未提到另一个术语）时，"
                             "中文不得出现这些词（`tests/test_glossary.py` 据此检查网站和计算器的用词）。")},
        },
        "required": ["term", "definition"],
        "additionalProperties": False,
        "if": {"properties": {"zh_established": {"const": False}}, "required": ["zh_established"]},
        "then": {"required": ["zh_note"]},
    }
    return {
        "$schema": DIALECT,
        "$id": "glossary.schema.json",
        **titled("Glossary", "术语表"),
        **said("The terms both languages use, fixed once: the English and the Chinese term and a "
               "definition in each. Every vocabulary term in catalogue/terms.yaml has an entry.",
               "两种语言共用的术语，在此统一确定：英文和中文术语及各自的释义。"
               "`catalogue/terms.yaml` 中的每个词表术语都有一个条目。"),
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": ID["pattern"]},
        "additionalProperties": entry,
        "$defs": {"text": TEXT},
    }


def sections_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "sections.schema.json",
        **titled("Sections", "栏目"),
        **said("The handbook's sections in menu order; each id is a folder of topic files.",
               "手册的各个栏目，按菜单顺序排列；每个 id 是一个存放主题文件的文件夹。"),
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": ID["pattern"]},
        "additionalProperties": {
            "type": "object",
            **said("One section: its title, the intro of its index page, and its menu.",
                    "一个栏目：标题、栏目首页的导语及其菜单。"),
            "properties": {
                "title": {"$ref": "#/$defs/text"},
                "intro": {"$ref": "#/$defs/text"},
                "topics": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID["pattern"]},
                           **said("The menu, in order: topic id (its file name) -> the menu's label.",
                                  "菜单，按顺序：主题 id（即文件名）-> 菜单中显示的名称。"),
                           "additionalProperties": _labelled()},
            },
            "required": ["title", "intro", "topics"],
            "additionalProperties": False,
        },
        "$defs": {"text": TEXT},
    }


# A message key: dotted lower-case words, "delisting.headline_safe" (calculators/messages.py).
MESSAGE_KEY = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$"


def messages_schema() -> dict:
    return {
        "$schema": DIALECT,
        "$id": "messages.schema.json",
        **titled("Calculator messages", "计算器文案"),
        **said("Every word the calculators say (form labels, help, errors, headlines, findings, next "
               "steps, chart words), in both languages. Templates use {placeholders}; the zh template "
               "must use exactly the placeholders of the en one.",
               "计算器说的每一句话（表单标签、帮助、错误、结论标题、检查结果、后续步骤、图表文字），"
               "都有两种语言。模板使用 `{placeholders}` 占位符；`zh` 模板的占位符须与 `en` 模板完全相同。"),
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": MESSAGE_KEY},
        "additionalProperties": {"$ref": "#/$defs/text"},
        "$defs": {"text": TEXT},
    }


SCHEMAS = {
    "topic.schema.json": topic_schema,
    "categories.schema.json": categories_schema,
    "terms.schema.json": terms_schema,
    "sources.schema.json": sources_schema,
    "glossary.schema.json": glossary_schema,
    "sections.schema.json": sections_schema,
    "messages.schema.json": messages_schema,
}


def render(name: str, calculators: list[str]) -> str:
    """One schema file's text. The calculator names (for `calculator:` and `applies_to:`) are
    given by the caller: this package knows nothing of the calculators (policy_contract/schema.py passes
    calculators.registry's names; `make schema` runs it)."""
    schema = SCHEMAS[name](calculators) if name == "topic.schema.json" else SCHEMAS[name]()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(calculators: list[str], schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    schema_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        (schema_dir / name).write_text(render(name, calculators), encoding="utf-8")
        written.append(schema_dir / name)
    return written

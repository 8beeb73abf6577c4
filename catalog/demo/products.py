"""The demo shop's products as option-set/1 documents: a sneaker, a tote bag, a mug."""

from __future__ import annotations

from typing import Any


def _v(code: str, vi: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": {"vi": vi, "en": en}, **extra}


def _layer(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, **fields}


def sneaker(files: dict[str, str], font: str) -> dict[str, Any]:
    return {
        "format": "option-set/1",
        "product": {
            "sku": "SNEAKER-01",
            "name": {"vi": "Giày sneaker Sài Gòn", "en": "Saigon sneaker"},
            "base_price": "1290000",
            "currency": "VND",
            "max_visible_values": 5,
            "extensions": {
                "description": {
                    "vi": "Giày vải và da may tại Việt Nam, tự chọn chất liệu, màu và hoa văn.",
                    "en": "Canvas and leather sneakers made in Vietnam, your material, colour "
                    "and pattern.",
                }
            },
        },
        "groups": [
            {
                "code": "material",
                "name": {"vi": "Chất liệu", "en": "Material"},
                "kind": "choice",
                "step": 1,
                "values": [
                    _v(
                        "canvas",
                        "Vải bố",
                        "Canvas",
                        production_code="M-CNV",
                        attributes={"material": "canvas"},
                        default=True,
                    ),
                    _v(
                        "leather",
                        "Da bò",
                        "Leather",
                        price_delta="300000",
                        production_code="M-LTH",
                        attributes={"material": "leather"},
                    ),
                    _v(
                        "suede",
                        "Da lộn",
                        "Suede",
                        price_delta="400000",
                        production_code="M-SUE",
                        attributes={"material": "suede"},
                    ),
                ],
            },
            {
                "code": "color",
                "name": {"vi": "Màu", "en": "Colour"},
                "kind": "choice",
                "step": 2,
                "values": [
                    _v(
                        "white",
                        "Trắng",
                        "White",
                        swatch="#f4f2ee",
                        production_code="C-WHT",
                        attributes={"color_family": "white"},
                        default=True,
                    ),
                    _v(
                        "black",
                        "Đen",
                        "Black",
                        swatch="#22201e",
                        production_code="C-BLK",
                        attributes={"color_family": "black"},
                    ),
                    _v(
                        "navy",
                        "Xanh đen",
                        "Navy",
                        swatch="#1f2a44",
                        production_code="C-NVY",
                        attributes={"color_family": "blue"},
                    ),
                    _v(
                        "red",
                        "Đỏ son",
                        "Lacquer red",
                        swatch="#b3261e",
                        production_code="C-RED",
                        attributes={"color_family": "red"},
                    ),
                    _v(
                        "sand",
                        "Cát",
                        "Sand",
                        swatch="#d8c3a0",
                        production_code="C-SND",
                        attributes={"color_family": "beige"},
                    ),
                    _v(
                        "brown",
                        "Nâu",
                        "Brown",
                        swatch="#6b4226",
                        production_code="C-BRN",
                        attributes={"color_family": "brown"},
                    ),
                    _v(
                        "olive",
                        "Xanh ô liu",
                        "Olive",
                        swatch="#6b7a3a",
                        production_code="C-OLV",
                        attributes={"color_family": "green"},
                    ),
                    _v(
                        "pink",
                        "Hồng sen",
                        "Lotus pink",
                        swatch="#e8a0b4",
                        production_code="C-PNK",
                        attributes={"color_family": "pink"},
                    ),
                ],
            },
            {
                "code": "design",
                "name": {"vi": "Hoa văn", "en": "Design"},
                "kind": "choice",
                "step": 3,
                "values": [
                    _v("plain", "Trơn", "Plain", production_code="D-PLN", default=True),
                    _v(
                        "stripe",
                        "Sọc chéo",
                        "Diagonal stripes",
                        price_delta="50000",
                        production_code="D-STR",
                        extensions={"image": files["thumb/sneaker-stripe"]},
                    ),
                    _v(
                        "star",
                        "Ngôi sao",
                        "Star",
                        price_delta="80000",
                        production_code="D-STA",
                        extensions={"image": files["thumb/sneaker-star"]},
                    ),
                    _v(
                        "wave",
                        "Sóng",
                        "Wave",
                        price_delta="80000",
                        production_code="D-WAV",
                        extensions={"image": files["thumb/sneaker-wave"]},
                    ),
                ],
            },
            {
                "code": "monogram",
                "name": {"vi": "Chữ thêu ở gót", "en": "Heel monogram"},
                "kind": "text",
                "step": 4,
                "required": False,
                "max_length": 8,
                "pattern": "[\\w .'-]+",
                "price_per_char": "15000",
                "help": {
                    "vi": "Tối đa 8 ký tự, có dấu tiếng Việt.",
                    "en": "Up to 8 characters; Vietnamese diacritics welcome.",
                },
            },
        ],
        "rules": [
            {
                "kind": "allowed",
                "id": "suede-colours",
                "message": {
                    "vi": "Da lộn chỉ có màu Đen, Nâu hoặc Cát",
                    "en": "Suede comes only in Black, Brown or Sand",
                },
                "groups": ["material", "color"],
                "rows": [
                    ["suede", "black"],
                    ["suede", "brown"],
                    ["suede", "sand"],
                    ["leather", "*"],
                    ["canvas", "*"],
                ],
            },
            {
                "kind": "allowed",
                "id": "leather-colours",
                "message": {
                    "vi": "Da bò chỉ có màu Trắng, Đen, Nâu hoặc Xanh đen",
                    "en": "Leather comes only in White, Black, Brown or Navy",
                },
                "groups": ["material", "color"],
                "rows": [
                    ["leather", "white"],
                    ["leather", "black"],
                    ["leather", "brown"],
                    ["leather", "navy"],
                    ["suede", "*"],
                    ["canvas", "*"],
                ],
            },
            {
                "kind": "excludes",
                "id": "no-print-on-suede",
                "message": {
                    "vi": "Không in hoa văn ngôi sao hoặc sóng lên da lộn",
                    "en": "Star and wave prints do not take on suede",
                },
                "if": {"material": ["suede"]},
                "then": {"design": ["star", "wave"]},
            },
        ],
        "extensions": {
            "preview_layers": [
                _layer("base", image=files["sneaker/base"]),
                _layer("tint", group="color", image=files["sneaker/tint"]),
                _layer("texture", group="material", value="canvas", image=files["sneaker/canvas"]),
                _layer(
                    "texture", group="material", value="leather", image=files["sneaker/leather"]
                ),
                _layer("texture", group="material", value="suede", image=files["sneaker/suede"]),
                _layer("overlay", group="design", value="stripe", image=files["sneaker/stripe"]),
                _layer("overlay", group="design", value="star", image=files["sneaker/star"]),
                _layer("overlay", group="design", value="wave", image=files["sneaker/wave"]),
                _layer("base", image=files["sneaker/details"]),
                _layer(
                    "text",
                    group="monogram",
                    font=font,
                    text_color="#f2c14e",
                    x=150,
                    y=560,
                    width=220,
                    height=48,
                    print_width_mm=40,
                    print_height_mm=10,
                ),
            ]
        },
    }


def tote(files: dict[str, str], font: str) -> dict[str, Any]:
    return {
        "format": "option-set/1",
        "product": {
            "sku": "TOTE-01",
            "name": {"vi": "Túi tote vải", "en": "Canvas tote"},
            "base_price": "350000",
            "currency": "VND",
            "max_visible_values": 5,
        },
        "groups": [
            {
                "code": "material",
                "name": {"vi": "Chất liệu", "en": "Material"},
                "kind": "choice",
                "step": 1,
                "values": [
                    _v("canvas", "Vải bố", "Canvas", production_code="T-CNV", default=True),
                    _v("linen", "Vải lanh", "Linen", price_delta="50000", production_code="T-LIN"),
                    _v(
                        "recycled",
                        "Vải tái chế",
                        "Recycled cotton",
                        price_delta="30000",
                        production_code="T-REC",
                    ),
                ],
            },
            {
                "code": "color",
                "name": {"vi": "Màu", "en": "Colour"},
                "kind": "choice",
                "step": 2,
                "values": [
                    _v(
                        "natural",
                        "Mộc",
                        "Natural",
                        swatch="#e8dcc2",
                        production_code="C-NAT",
                        attributes={"color_family": "beige"},
                        default=True,
                    ),
                    _v(
                        "black",
                        "Đen",
                        "Black",
                        swatch="#22201e",
                        production_code="C-BLK",
                        attributes={"color_family": "black"},
                    ),
                    _v(
                        "navy",
                        "Xanh đen",
                        "Navy",
                        swatch="#1f2a44",
                        production_code="C-NVY",
                        attributes={"color_family": "blue"},
                    ),
                    _v(
                        "olive",
                        "Xanh ô liu",
                        "Olive",
                        swatch="#6b7a3a",
                        production_code="C-OLV",
                        attributes={"color_family": "green"},
                    ),
                    _v(
                        "terracotta",
                        "Đất nung",
                        "Terracotta",
                        swatch="#c0643c",
                        production_code="C-TER",
                        attributes={"color_family": "red"},
                    ),
                    _v(
                        "mustard",
                        "Vàng nghệ",
                        "Turmeric",
                        swatch="#d9a83a",
                        production_code="C-MUS",
                        attributes={"color_family": "yellow"},
                    ),
                ],
            },
            {
                "code": "design",
                "name": {"vi": "Hoa văn", "en": "Pattern"},
                "kind": "choice",
                "step": 3,
                "values": [
                    _v("plain", "Trơn", "Plain", production_code="P-PLN", default=True),
                    _v(
                        "stripes",
                        "Kẻ sọc",
                        "Stripes",
                        price_delta="40000",
                        production_code="P-STR",
                        extensions={"image": files["thumb/tote-stripes"]},
                    ),
                    _v(
                        "dots",
                        "Chấm bi",
                        "Dots",
                        price_delta="40000",
                        production_code="P-DOT",
                        extensions={"image": files["thumb/tote-dots"]},
                    ),
                    _v(
                        "leaves",
                        "Lá sen",
                        "Lotus leaves",
                        price_delta="60000",
                        production_code="P-LEA",
                        extensions={"image": files["thumb/tote-leaves"]},
                    ),
                    _v(
                        "photo",
                        "Ảnh của bạn",
                        "Your photo",
                        price_delta="60000",
                        production_code="P-PHO",
                    ),
                ],
            },
            {
                "code": "text",
                "name": {"vi": "Chữ in", "en": "Printed text"},
                "kind": "text",
                "step": 4,
                "required": False,
                "max_length": 20,
                "price_per_char": "5000",
            },
            {
                "code": "photo",
                "name": {"vi": "Ảnh in", "en": "Photo print"},
                "kind": "image",
                "step": 4,
                "required": False,
                "max_bytes": 15000000,
                "min_width": 1200,
                "min_height": 1200,
                "formats": ["png", "jpeg", "webp"],
            },
        ],
        "rules": [
            {
                "kind": "allowed",
                "id": "linen-colours",
                "message": {
                    "vi": "Vải lanh chỉ có màu Mộc, Ô liu hoặc Đất nung",
                    "en": "Linen comes only in Natural, Olive or Terracotta",
                },
                "groups": ["material", "color"],
                "rows": [
                    ["linen", "natural"],
                    ["linen", "olive"],
                    ["linen", "terracotta"],
                    ["canvas", "*"],
                    ["recycled", "*"],
                ],
            },
            {
                "kind": "requires",
                "id": "photo-needs-upload",
                "message": {
                    "vi": "Mẫu “Ảnh của bạn” cần một ảnh tải lên",
                    "en": "“Your photo” needs an uploaded picture",
                },
                "if": {"design": ["photo"]},
                "then": {"photo": ["present"]},
            },
            {
                "kind": "requires",
                "id": "upload-needs-photo-design",
                "message": {
                    "vi": "Ảnh tải lên chỉ in được với mẫu “Ảnh của bạn”",
                    "en": "An uploaded picture prints only with “Your photo”",
                },
                "if": {"photo": ["present"]},
                "then": {"design": ["photo"]},
            },
        ],
        "extensions": {
            "preview_layers": [
                _layer("base", image=files["tote/base"]),
                _layer("tint", group="color", image=files["tote/tint"]),
                _layer("texture", group="material", value="canvas", image=files["tote/canvas"]),
                _layer("texture", group="material", value="linen", image=files["tote/linen"]),
                _layer("texture", group="material", value="recycled", image=files["tote/recycled"]),
                _layer("overlay", group="design", value="stripes", image=files["tote/stripes"]),
                _layer("overlay", group="design", value="dots", image=files["tote/dots"]),
                _layer("overlay", group="design", value="leaves", image=files["tote/leaves"]),
                _layer("base", image=files["tote/details"]),
                _layer(
                    "artwork",
                    group="photo",
                    x=310,
                    y=420,
                    width=400,
                    height=300,
                    print_width_mm=200,
                    print_height_mm=150,
                ),
                _layer(
                    "text",
                    group="text",
                    font=font,
                    text_color="#1e1b18",
                    x=260,
                    y=760,
                    width=500,
                    height=70,
                    print_width_mm=220,
                    print_height_mm=30,
                ),
            ]
        },
    }


def mug(files: dict[str, str], font: str) -> dict[str, Any]:
    return {
        "format": "option-set/1",
        "product": {
            "sku": "MUG-01",
            "name": {"vi": "Cốc sứ Bát Tràng", "en": "Bat Trang mug"},
            "base_price": "180000",
            "currency": "VND",
        },
        "groups": [
            {
                "code": "material",
                "name": {"vi": "Chất liệu", "en": "Material"},
                "kind": "choice",
                "step": 1,
                "values": [
                    _v(
                        "ceramic",
                        "Sứ men bóng",
                        "Glazed ceramic",
                        production_code="G-CER",
                        default=True,
                    ),
                    _v(
                        "enamel",
                        "Men rạn",
                        "Crackle enamel",
                        price_delta="40000",
                        production_code="G-ENA",
                    ),
                ],
            },
            {
                "code": "color",
                "name": {"vi": "Màu men", "en": "Glaze colour"},
                "kind": "choice",
                "step": 2,
                "values": [
                    _v(
                        "white",
                        "Trắng ngà",
                        "Ivory",
                        swatch="#f6f1e7",
                        production_code="C-IVO",
                        attributes={"color_family": "white"},
                        default=True,
                    ),
                    _v(
                        "celadon",
                        "Men ngọc",
                        "Celadon",
                        swatch="#9cc3a9",
                        production_code="C-CEL",
                        attributes={"color_family": "green"},
                    ),
                    _v(
                        "blue",
                        "Lam",
                        "Cobalt",
                        swatch="#2f5aa8",
                        production_code="C-COB",
                        attributes={"color_family": "blue"},
                    ),
                    _v(
                        "black",
                        "Đen",
                        "Black",
                        swatch="#22201e",
                        production_code="C-BLK",
                        attributes={"color_family": "black"},
                    ),
                ],
            },
            {
                "code": "design",
                "name": {"vi": "Hoa văn", "en": "Design"},
                "kind": "choice",
                "step": 3,
                "values": [
                    _v("plain", "Trơn", "Plain", production_code="D-PLN", default=True),
                    _v(
                        "floral",
                        "Hoa sen",
                        "Lotus flowers",
                        price_delta="30000",
                        production_code="D-FLO",
                        extensions={"image": files["thumb/mug-floral"]},
                    ),
                    _v(
                        "marble",
                        "Vân đá",
                        "Marble",
                        price_delta="30000",
                        production_code="D-MAR",
                        extensions={"image": files["thumb/mug-marble"]},
                    ),
                ],
            },
            {
                "code": "engraving",
                "name": {"vi": "Khắc chữ", "en": "Engraving"},
                "kind": "text",
                "step": 4,
                "required": False,
                "max_length": 18,
                "price_delta": "20000",
                "price_per_char": "3000",
            },
            {
                "code": "extras",
                "name": {"vi": "Kèm theo", "en": "Extras"},
                "kind": "multi",
                "step": 4,
                "required": False,
                "max": 2,
                "values": [
                    _v(
                        "giftbox",
                        "Hộp quà",
                        "Gift box",
                        price_delta="25000",
                        production_code="X-BOX",
                    ),
                    _v(
                        "spoon",
                        "Thìa sứ",
                        "Ceramic spoon",
                        price_delta="30000",
                        production_code="X-SPN",
                    ),
                ],
            },
        ],
        "rules": [
            {
                "kind": "requires",
                "id": "engraving-on-ceramic",
                "message": {
                    "vi": "Chỉ khắc chữ được trên sứ men bóng",
                    "en": "Engraving is only possible on glazed ceramic",
                },
                "if": {"engraving": ["present"]},
                "then": {"material": ["ceramic"]},
            },
            {
                "kind": "forbidden",
                "id": "no-marble-on-black",
                "message": {
                    "vi": "Vân đá không hiện trên men đen",
                    "en": "Marble does not show on black glaze",
                },
                "groups": ["color", "design"],
                "rows": [["black", "marble"]],
            },
        ],
        "extensions": {
            "preview_layers": [
                _layer("base", image=files["mug/base"]),
                _layer("tint", group="color", image=files["mug/tint"]),
                _layer("texture", group="material", value="ceramic", image=files["mug/ceramic"]),
                _layer("texture", group="material", value="enamel", image=files["mug/enamel"]),
                _layer("overlay", group="design", value="floral", image=files["mug/floral"]),
                _layer("overlay", group="design", value="marble", image=files["mug/marble"]),
                _layer("base", image=files["mug/details"]),
                _layer(
                    "text",
                    group="engraving",
                    font=font,
                    text_color="#3a3530",
                    x=290,
                    y=560,
                    width=370,
                    height=70,
                    print_width_mm=70,
                    print_height_mm=15,
                ),
            ]
        },
    }


def documents(files: dict[str, str], font: str) -> list[dict[str, Any]]:
    return [sneaker(files, font), tote(files, font), mug(files, font)]

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitLevel(models.TextChoices):
    """Tier of an administrative unit. Districts exist only on the pre-2025 map."""

    COUNTRY = "country", pgettext_lazy("unit level", "Country")
    PROVINCE = "province", pgettext_lazy("unit level", "Province")
    DISTRICT = "district", pgettext_lazy("unit level", "District")
    COMMUNE = "commune", pgettext_lazy("unit level", "Commune")


class DivisionType(models.TextChoices):
    """Legal type of a unit (loại đơn vị hành chính), as printed in the official lists."""

    COUNTRY = "quoc_gia", _("country")
    PROVINCE = "tinh", _("province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_trung_uong", _("centrally-run city")
    RURAL_DISTRICT = "huyen", _("rural district (huyện)")
    URBAN_DISTRICT = "quan", _("urban district (quận)")
    DISTRICT_TOWN = "thi_xa", _("district-level town (thị xã)")
    PROVINCIAL_CITY = "thanh_pho", _("provincial city")
    COMMUNE = "xa", _("commune (xã)")
    WARD = "phuong", _("ward (phường)")
    TOWNSHIP = "thi_tran", _("township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("special zone (đặc khu)")


#: Vietnamese names of the division types, used to rebuild display names from package data.
DIVISION_TYPE_FROM_VI = {
    "quốc gia": DivisionType.COUNTRY,
    "tỉnh": DivisionType.PROVINCE,
    "thành phố trung ương": DivisionType.CENTRAL_CITY,
    "huyện": DivisionType.RURAL_DISTRICT,
    "quận": DivisionType.URBAN_DISTRICT,
    "thị xã": DivisionType.DISTRICT_TOWN,
    "thành phố thuộc tỉnh": DivisionType.PROVINCIAL_CITY,
    "thành phố thuộc thành phố trung ương": DivisionType.PROVINCIAL_CITY,
    "thành phố": DivisionType.PROVINCIAL_CITY,
    "xã": DivisionType.COMMUNE,
    "phường": DivisionType.WARD,
    "thị trấn": DivisionType.TOWNSHIP,
    "đặc khu": DivisionType.SPECIAL_ZONE,
}

#: Number of digits of an official code per level (QĐ 124/2004 and QĐ 19/2025 use the same widths).
CODE_WIDTH = {UnitLevel.COUNTRY: 0, UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}

"""Unit names the hand-made test years use (real units of Ba Tơ district)."""

NOI_VU = "Phòng Nội vụ"
TU_PHAP = "Phòng Tư pháp"
VAN_HOA = "Phòng Văn hóa và Thông tin"
VAN_PHONG = "Văn phòng HĐND và UBND"
BA_TO_COMMUNE = "Ba Tô"  # a commune
BA_TO_TOWN = "Ba Tơ"  # the town: differs only by the diacritic

"""A hand-built weekly late list in the JSON shape of `python -m analysis late-list --json`."""

from __future__ import annotations

from typing import Any

# Week 26/2024 runs Monday 24/6 to Sunday 30/6/2024. Counts chosen by hand:
# resolved 120, of which 7 late (5 at Phòng TN&MT, 2 at Xã Ba Trang) -> on time (120 - 7) / 120 = 0.9417;
# 3 dossiers pending overdue at the week's end (2 at Phòng TN&MT, 1 at Xã Ba Trang).
WEEK_26: dict[str, Any] = {
    "week": "2024-W26",
    "from": "2024-06-24",
    "to": "2024-06-30",
    "resolved": 120,
    "resolved_late": 7,
    "on_time_rate": 0.9417,
    "pending_overdue": 3,
    "units": [
        {"unit": "Phòng Tài nguyên và Môi trường", "resolved": 40, "resolved_late": 5, "pending_overdue": 2},
        {"unit": "Xã Ba Trang", "resolved": 18, "resolved_late": 2, "pending_overdue": 1},
    ],
    "officials": [
        {
            "official": "Nguyễn Thị Hằng",
            "unit": "Phòng Tài nguyên và Môi trường",
            "resolved_late": 4,
            "pending_overdue": 2,
        },
        {
            "official": "Đinh Văn Lữ",
            "unit": "Phòng Tài nguyên và Môi trường",
            "resolved_late": 1,
            "pending_overdue": 0,
        },
        {"official": "Phạm Văn Đức", "unit": "Xã Ba Trang", "resolved_late": 2, "pending_overdue": 1},
    ],  # fmt: skip
    "dossiers": [
        {
            "dossier_id": "H51.35-240617-0012",
            "unit": "Phòng Tài nguyên và Môi trường",
            "official": "Nguyễn Thị Hằng",
            "procedure": "Đăng ký biến động quyền sử dụng đất",
            "received_at": "2024-06-10T08:15:00",
            "due_at": "2024-06-24T17:00:00",
            "resolved_at": "2024-06-27T10:00:00",
            "state": "resolved_late",
            "days_late": 3,
            "apology": True,
        },
        {
            "dossier_id": "H51.35-240612-0007",
            "unit": "Xã Ba Trang",
            "official": "Phạm Văn Đức",
            "procedure": "Đăng ký khai sinh",
            "received_at": "2024-06-12T09:00:00",
            "due_at": "2024-06-28",
            "resolved_at": None,
            "state": "pending_overdue",
            "days_late": None,
            "apology": False,
        },
    ],  # fmt: skip
}

EMPTY_WEEK: dict[str, Any] = {
    "week": "2020-W53",
    "from": "2020-12-28",
    "to": "2021-01-03",
    "resolved": 35,
    "resolved_late": 0,
    "on_time_rate": 1.0,
    "pending_overdue": 0,
    "units": [],
    "officials": [],
    "dossiers": [],
}

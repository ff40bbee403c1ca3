"""Constants of Partner Time: the domain, the option keys and their defaults."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "partner_time"
LOGGER = logging.getLogger(__package__)

DEFAULT_NAME: Final = "Partner time"

# entry.options keys (the stable settings format, config entry VERSION 1)
CONF_WINDOWS: Final = "windows"
CONF_PHONES: Final = "phones"
CONF_DND_MODE: Final = "dnd_mode"
CONF_SCENE: Final = "scene"
CONF_RESTORE_LIGHTS: Final = "restore_lights"
CONF_FORWARDING_SWITCHES: Final = "forwarding_switches"
CONF_START_SCRIPTS: Final = "start_scripts"
CONF_END_SCRIPTS: Final = "end_scripts"
CONF_NOTIFY: Final = "notify"
CONF_LEAD_TIME: Final = "lead_time"
CONF_DEFAULT_DURATION: Final = "default_duration"
CONF_CALL_SENSORS: Final = "call_sensors"
CONF_PEOPLE: Final = "people"
CONF_PRESENCE: Final = "presence"
CONF_PROPOSAL_TIMEOUT: Final = "proposal_timeout"
CONF_BREAKTHROUGH_CALLERS: Final = "breakthrough_callers"
CONF_BREAKTHROUGH_MEDIA_PLAYER: Final = "breakthrough_media_player"
CONF_BREAKTHROUGH_TTS: Final = "breakthrough_tts"
CONF_BREAKTHROUGH_LIGHT: Final = "breakthrough_light"
CONF_BREAKTHROUGH_NOTIFY: Final = "breakthrough_notify"
CONF_HELD_DELIVERY: Final = "held_delivery"
HELD_SUMMARY: Final = "summary"
HELD_EACH: Final = "each"
HELD_DELIVERIES: Final = (HELD_SUMMARY, HELD_EACH)
DEFAULT_PROPOSAL_TIMEOUT: Final = 15
MAX_PROPOSAL_TIMEOUT: Final = 240

# keys inside one window / one phone
CONF_NAME: Final = "name"
CONF_DAYS: Final = "days"
CONF_START: Final = "start"
CONF_END: Final = "end"
CONF_DND_SENSOR: Final = "dnd_sensor"

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DND_MODES: Final = ("priority_only", "alarms_only", "total_silence")

DEFAULT_WINDOW: Final = {
    CONF_NAME: "Dinner",
    CONF_DAYS: list(WEEKDAYS),
    CONF_START: "18:30:00",
    CONF_END: "19:30:00",
}
DEFAULT_DND_MODE: Final = "priority_only"
DEFAULT_LEAD_TIME: Final = 5
DEFAULT_DURATION: Final = 60
MAX_LEAD_TIME: Final = 120
MAX_DURATION: Final = 1440

# action (service) names and fields
SERVICE_START: Final = "start"
SERVICE_STOP: Final = "stop"
SERVICE_EXTEND: Final = "extend"
SERVICE_SKIP: Final = "skip"
SERVICE_UNSKIP: Final = "unskip"
SERVICE_PROPOSE: Final = "propose"
SERVICE_ACCEPT: Final = "accept"
SERVICE_DECLINE: Final = "decline"
ATTR_MESSAGE: Final = "message"
ATTR_DURATION: Final = "duration"
ATTR_UNTIL: Final = "until"

# events
EVENT_STARTED: Final = "partner_time_started"
EVENT_ENDED: Final = "partner_time_ended"
EVENT_UPCOMING: Final = "partner_time_upcoming"
EVENT_CALL_HELD: Final = "partner_time_call_held"
EVENT_BREAKTHROUGH: Final = "partner_time_breakthrough"

# sources of a session and reasons for its end
SOURCE_SCHEDULE: Final = "schedule"
SOURCE_MANUAL: Final = "manual"
REASON_SCHEDULE: Final = "schedule"
REASON_MANUAL: Final = "manual"
REASON_EXPIRED: Final = "expired"
SOURCE_VOICE: Final = "voice"
SOURCE_AGREED: Final = "agreed"
REASON_VOICE: Final = "voice"
REASON_DELETED: Final = "deleted"
REASON_DISABLED: Final = "disabled"
REASON_AWAY: Final = "away"

# status sensor states
STATUS_ACTIVE: Final = "active"
STATUS_UPCOMING: Final = "upcoming"
STATUS_IDLE: Final = "idle"
STATUS_PAUSED: Final = "paused"
STATUS_WAITING: Final = "waiting"
STATUS_PROPOSED: Final = "proposed"
STATUSES: Final = (
    STATUS_ACTIVE,
    STATUS_UPCOMING,
    STATUS_IDLE,
    STATUS_PAUSED,
    STATUS_WAITING,
    STATUS_PROPOSED,
)

# how long one call to a target (phone push, scene, switch, script) may take
ACTION_TIMEOUT: Final = 10.0

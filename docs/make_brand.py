# ruff: noqa: INP001 (a script run by path, not a package)
"""Make the brand images of custom_components/partner_time/brand/ from icon.png.

Run `scripts/run python docs/make_brand.py` after changing icon.png. Sizes as Home
Assistant's brands repository wants them (tests/test_packaging.py checks them):
icon 256x256 and icon@2x 512x512; logo landscape with its shortest side 128 px, the
@2x one twice that; PNG with a transparent background. The logo is the icon with the
name beside it; the dark_ variants are for dark themes: a brighter heart and light text.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFont

BRAND = (
    Path(__file__).resolve().parents[1] / "custom_components" / "partner_time" / "brand"
)
NAME = "Partner Time"
FONTS = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
TEXT = {False: (51, 51, 51, 255), True: (245, 245, 245, 255)}
LOGO_HEIGHT = 128


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    msg = f"none of {FONTS} exists (the sid root has them; see scripts/lib.sh)"
    raise FileNotFoundError(msg)


def _icon(size: int, *, dark: bool) -> Image.Image:
    """Return the icon at size x size; for dark themes with a brighter heart."""
    icon = Image.open(BRAND / "icon.png").convert("RGBA")
    if icon.size != (size, size):
        icon = icon.resize((size, size), Image.Resampling.LANCZOS)
    if dark:
        alpha = icon.getchannel("A")
        icon = (
            ImageEnhance.Brightness(icon.convert("RGB")).enhance(1.18).convert("RGBA")
        )
        icon.putalpha(alpha)
    return icon


def _logo(height: int, *, dark: bool) -> Image.Image:
    """Return the icon (cropped to the heart) with the name to its right."""
    icon = _icon(height * 2, dark=dark)
    icon = icon.crop(icon.getbbox())
    icon = icon.resize(
        (round(icon.width * height / icon.height), height), Image.Resampling.LANCZOS
    )
    font = _font(round(height * 0.46))
    left, top, right, bottom = font.getbbox(NAME)
    gap = round(height * 0.16)
    logo = Image.new("RGBA", (icon.width + gap + right - left, height), (0, 0, 0, 0))
    logo.alpha_composite(icon)
    draw = ImageDraw.Draw(logo)
    y = (height - (bottom - top)) // 2 - top
    draw.text((icon.width + gap - left, y), NAME, font=font, fill=TEXT[dark])
    return logo


def main() -> None:
    """Write every brand image but icon.png itself; each @2x is exactly double."""
    for dark in (False, True):
        prefix = "dark_" if dark else ""
        double = _logo(LOGO_HEIGHT * 2, dark=dark)
        if double.width % 2:
            padded = Image.new("RGBA", (double.width + 1, double.height), (0, 0, 0, 0))
            padded.alpha_composite(double)
            double = padded
        half = double.resize(
            (double.width // 2, double.height // 2), Image.Resampling.LANCZOS
        )
        double.save(BRAND / f"{prefix}logo@2x.png")
        half.save(BRAND / f"{prefix}logo.png")
        _icon(512, dark=dark).save(BRAND / f"{prefix}icon@2x.png")
        if dark:
            _icon(256, dark=dark).save(BRAND / f"{prefix}icon.png")


if __name__ == "__main__":
    main()

"""The third-party files GraphiQL needs, pinned by version and SHA-384, fetched once with npm.

They are not committed: ``promo fetch-graphiql`` (run by scripts/setup.sh)
takes them from the npm registry with ``npm pack``, checks every file against
the hashes below (the same Subresource Integrity values the page's tags carry,
so the browser checks them again) and copies them, with their licences, to
``ide/vendor/``. After that the server needs no network to serve GraphiQL.
"""
from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
VENDOR_URL = "/graphiql/vendor"


@dataclass(frozen=True, slots=True)
class Package:
    name: str
    version: str
    # The @graphiql/plugin-explorer tarball has no LICENSE file; it is built in the
    # graphiql repository, whose MIT licence its package.json names.
    licence_from: str | None = None

    @property
    def folder(self) -> str:
        return f"{self.name.lstrip('@').replace('/', '-')}@{self.version}"


@dataclass(frozen=True, slots=True)
class Asset:
    package: Package
    path: str  # inside the tarball's package/ folder
    sri: str

    @property
    def url(self) -> str:
        return f"{VENDOR_URL}/{self.package.folder}/{Path(self.path).name}"

    @property
    def file(self) -> Path:
        return VENDOR_DIR / self.package.folder / Path(self.path).name

    @property
    def is_script(self) -> bool:
        return self.path.endswith(".js")


REACT = Package("react", "18.2.0")
REACT_DOM = Package("react-dom", "18.2.0")
GRAPHIQL = Package("graphiql", "3.8.3")
EXPLORER = Package("@graphiql/plugin-explorer", "1.0.2", licence_from="graphiql")

# In load order: React first, GraphiQL's UMD bundle before the plugin that uses it.
ASSETS = (
    Asset(REACT, "umd/react.production.min.js", "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"),
    Asset(REACT_DOM, "umd/react-dom.production.min.js", "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"),
    Asset(GRAPHIQL, "graphiql.min.css", "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"),
    Asset(GRAPHIQL, "graphiql.min.js", "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"),
    Asset(EXPLORER, "dist/style.css", "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi"),
    Asset(EXPLORER, "dist/index.umd.js", "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"),
)
PACKAGES = (REACT, REACT_DOM, GRAPHIQL, EXPLORER)


class AssetError(Exception):
    """The assets could not be fetched or do not match their pinned hashes."""


def sri_of(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def missing_assets() -> list[Asset]:
    """Assets absent from ide/vendor or not matching their hash."""
    return [a for a in ASSETS if not a.file.is_file() or sri_of(a.file.read_bytes()) != a.sri]


def _npm_pack(package: Package, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is needed once to fetch the GraphiQL assets (apt-get install npm).")
    spec = f"{package.name}@{package.version}"
    done = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(into), "--silent"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    if done.returncode != 0:
        raise AssetError(f"npm pack {spec} failed: {done.stderr.strip() or done.stdout.strip()}")
    return into / done.stdout.strip().splitlines()[-1]


def _member(tarball: tarfile.TarFile, path: str) -> bytes | None:
    try:
        extracted = tarball.extractfile(f"package/{path}")
    except KeyError:
        return None
    return None if extracted is None else extracted.read()


def _licence(tarball: tarfile.TarFile) -> bytes | None:
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "license"):
        text = _member(tarball, name)
        if text is not None:
            return text
    return None


def fetch_assets(log: Callable[[str], None] = print) -> None:
    """Fetch, verify and install every asset; nothing to do when all are in place and intact."""
    if not missing_assets():
        log(f"GraphiQL assets already in {VENDOR_DIR}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        tarballs = {p.name: tarfile.open(_npm_pack(p, Path(scratch))) for p in PACKAGES}
        try:
            for package in PACKAGES:
                _install_package(package, tarballs)
        finally:
            for tarball in tarballs.values():
                tarball.close()
    log(f"GraphiQL assets verified and installed in {VENDOR_DIR}")


def _install_package(package: Package, tarballs: dict[str, tarfile.TarFile]) -> None:
    tarball = tarballs[package.name]
    folder = VENDOR_DIR / package.folder
    folder.mkdir(parents=True, exist_ok=True)
    for asset in (a for a in ASSETS if a.package == package):
        data = _member(tarball, asset.path)
        if data is None:
            raise AssetError(f"{package.name}@{package.version} has no {asset.path}")
        if sri_of(data) != asset.sri:
            raise AssetError(f"{package.name}@{package.version}/{asset.path} does not match its pinned SHA-384")
        asset.file.write_bytes(data)
    licence = _licence(tarballs[package.licence_from or package.name])
    if licence is None:
        raise AssetError(f"no licence file found for {package.name}")
    (folder / "LICENSE").write_bytes(licence)
    (folder / "package.json").write_bytes(_member(tarball, "package.json") or b"")

#!/bin/sh
# The system packages unres needs, named as Debian names them (the arguments):
# `make setup` calls this with the fonts and tools of the PDF output, `make test` with
# what the tests look through.
#
# - all present: nothing is printed, exit 0;
# - missing, as root with apt-get: they are installed;
# - missing otherwise (not root, or no apt-get): says which packages are needed and
#   what each is for, prints ONE command to paste (on one line) for this system's
#   package manager (apt-get, dnf, pacman or brew), and exits 1.
#
# On a system without dpkg a package counts as present when what it gives is there
# (the font by fc-list, the program on the PATH, the library by ldconfig).
set -u

describe() {
    case "$1" in
        fonts-noto-cjk) echo "Noto Serif CJK, for Chinese in the PDF" ;;
        fonts-noto-core) echo "Noto Naskh Arabic, for Arabic in the PDF" ;;
        fonts-liberation2) echo "Liberation Serif, for Latin and Cyrillic in the PDF" ;;
        poppler-utils) echo "pdftotext and pdftoppm, for reading PDFs" ;;
        libharfbuzz-subset0) echo "HarfBuzz's subsetter, for the fonts embedded in the PDF" ;;
        chromium) echo "a headless browser, for the HTML tests" ;;
        libreoffice-writer-nogui) echo "LibreOffice, for the DOCX tests" ;;
        *) echo "" ;;
    esac
}

has() { command -v "$1" >/dev/null 2>&1; }

present() {
    if has dpkg-query; then
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
        return
    fi
    case "$1" in
        fonts-noto-cjk) fc-list 2>/dev/null | grep -q "Noto Serif CJK" ;;
        fonts-noto-core) fc-list 2>/dev/null | grep -q "Noto Naskh Arabic" ;;
        fonts-liberation2) fc-list 2>/dev/null | grep -q "Liberation Serif" ;;
        poppler-utils) has pdftoppm ;;
        libharfbuzz-subset0)
            ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset \
                || ls /opt/homebrew/lib/libharfbuzz-subset* /usr/local/lib/libharfbuzz-subset* \
                    >/dev/null 2>&1 ;;
        chromium) has chromium || has chromium-browser || has google-chrome ;;
        libreoffice-writer-nogui) has soffice || has libreoffice ;;
        *) return 1 ;;
    esac
}

# the name of a Debian package in another package manager
native() {
    case "$1:$2" in
        dnf:fonts-noto-cjk) echo google-noto-serif-cjk-fonts ;;
        dnf:fonts-noto-core) echo google-noto-naskh-arabic-fonts ;;
        dnf:fonts-liberation2) echo liberation-serif-fonts ;;
        dnf:libharfbuzz-subset0) echo harfbuzz ;;
        dnf:libreoffice-writer-nogui) echo libreoffice-writer ;;
        pacman:fonts-noto-cjk) echo noto-fonts-cjk ;;
        pacman:fonts-noto-core) echo noto-fonts ;;
        pacman:fonts-liberation2) echo ttf-liberation ;;
        pacman:poppler-utils) echo poppler ;;
        pacman:libharfbuzz-subset0) echo harfbuzz ;;
        pacman:libreoffice-writer-nogui) echo libreoffice-fresh ;;
        brew:fonts-noto-cjk) echo font-noto-serif-cjk-sc ;;
        brew:fonts-noto-core) echo font-noto-naskh-arabic ;;
        brew:fonts-liberation2) echo font-liberation ;;
        brew:poppler-utils) echo poppler ;;
        brew:libharfbuzz-subset0) echo harfbuzz ;;
        brew:libreoffice-writer-nogui) echo libreoffice ;;
        *) echo "$2" ;;
    esac
}

missing=""
for p in "$@"; do
    present "$p" || missing="$missing $p"
done
missing=${missing# }
[ -z "$missing" ] && exit 0

root=false
[ "$(id -u)" = 0 ] && root=true
if $root && has apt-get; then
    echo "installing system packages: $missing"
    # shellcheck disable=SC2086
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    exit
fi

as_root() {     # a command line run as root: as is, with sudo, or with su
    if $root; then echo "$1"
    elif has sudo; then echo "sudo $1" | sed 's/ && / \&\& sudo /g'
    else echo "su -c '$1'"
    fi
}

manager=""
for m in apt-get dnf pacman brew; do
    if has "$m"; then manager=$m; break; fi
done
names=""
for p in $missing; do
    names="$names $(native "${manager:-apt-get}" "$p")"
done
names=${names# }

echo "unres needs these system packages, which are missing:"
for p in $missing; do
    what=$(describe "$p")
    echo "  $p${what:+ ($what)}"
done
case "$manager" in
    apt-get) command=$(as_root "apt-get update && apt-get install -y $names") ;;
    dnf) command=$(as_root "dnf install -y $names") ;;
    pacman) command=$(as_root "pacman -S --needed --noconfirm $names") ;;
    brew) command="brew install $names" ;;
    *) command="" ;;
esac
if [ -n "$command" ]; then
    echo "Install them with this command, then run make again:"
    echo "  $command"
else
    echo "This system has none of apt-get, dnf, pacman or brew: install them (or what they"
    echo "give) with its package manager, then run make again. On Debian or Ubuntu:"
    echo "  sudo apt-get update && sudo apt-get install -y $missing"
fi
exit 1

# SPDX-License-Identifier: Apache-2.0
#
# c4267.awk - MSVC's warning C4267 ("conversion from 'size_t' to 'type',
# possible loss of data"; level 3, an error under /W4 /WX) found in the
# text AST that clang prints for one file compiled for 64-bit Windows:
#   clang --target=x86_64-w64-windows-gnu -fsyntax-only -Xclang -ast-dump ... f.c \
#     | awk -v main=f.c -f c4267.awk
# C4267 is type-based: an implicit conversion of a 64-bit size_t expression
# that is not a constant to a 32-bit integer. GCC's -Wconversion and
# clang's -Wshorten-64-to-32 reason about value ranges instead and let
# `ULONG x = count * sizeof(T)` pass, which MSVC rejects; this does not.
#
# Reports "file:line: C4267 ..." for each implicit IntegralCast from
# 'unsigned long long' to a 32-bit type whose operand names a variable or
# parameter outside sizeof. Exit status 1 if it found any.

function close_candidate() {
    if (cand_depth > 0 && nonconst && index(cand_file, main) > 0) {
        printf "%s:%s: C4267: implicit conversion from size_t to '%s' of a non-constant expression\n",
               cand_file, cand_line, cand_type
        found = 1
    }
    cand_depth = 0
}

BEGIN {
    found = 0; cand_depth = 0; skip_depth = 0; want_child = 0
    file = ""; line = 0
}

{
    depth = match($0, /[A-Za-z<]/)
    # Source locations are printed relative to the previous one.
    s = $0
    while (match(s, /([^<>, ]+\.[ch]|line):[0-9]+:[0-9]+/)) {
        tok = substr(s, RSTART, RLENGTH)
        s = substr(s, RSTART + RLENGTH)
        n = split(tok, p, ":")
        if (p[1] != "line") file = p[1]
        line = p[2]
    }

    if (cand_depth > 0 && depth <= cand_depth) close_candidate()
    if (skip_depth > 0 && depth <= skip_depth) skip_depth = 0

    if (want_child) {
        want_child = 0
        if (depth > cand_depth && $0 ~ /'(size_t|SIZE_T|ULONG_PTR)?'?:?'?unsigned long long'/) {
            nonconst = 0
        } else {
            cand_depth = 0
        }
    }

    if (cand_depth > 0 && skip_depth == 0) {
        if ($0 ~ /UnaryExprOrTypeTraitExpr/) skip_depth = depth
        else if ($0 ~ /DeclRefExpr/ && $0 ~ / (Var|ParmVar) 0x/) nonconst = 1
    }

    if (cand_depth == 0 && $0 ~ /ImplicitCastExpr/ && $0 ~ /<IntegralCast>/ &&
        match($0, /'[^']*'(:'[^']*')? <IntegralCast>/)) {
        t = substr($0, RSTART, RLENGTH)
        sub(/ <IntegralCast>/, "", t)
        if (t ~ /'(unsigned long|long|unsigned int|int|unsigned short|short)'$/) {
            cand_depth = depth; cand_file = file; cand_line = line; cand_type = t
            want_child = 1
        }
    }
}

END {
    close_candidate()
    exit found
}

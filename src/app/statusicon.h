#pragma once

#include "core/syncstatus.h"

#include <QIcon>

namespace tf {

// The tray and window icons, drawn rather than shipped so they stay sharp at every size the tray host asks for
// (this Qt has no SVG image plugin): a coloured disc per state with a glyph, so the state reads without colour too.
class StatusIcon
{
public:
    static QIcon forState(SyncStatus::State state);
    static QIcon application();

private:
    static QPixmap draw(SyncStatus::State state, int size);
};

} // namespace tf

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ErrorsModel</name>
    <message numerus="yes">
        <source>%n files could not be read</source>
        <translation>
            <numerusform>%n file could not be read</numerusform>
            <numerusform>%n files could not be read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FoldersTab</name>
    <message numerus="yes">
        <source>Transcribing takes about %n min of work per hour of audio on this computer (measured), on one processor core while nothing else is to do.</source>
        <translation>
            <numerusform>Transcribing takes about %n min of work per hour of audio on this computer (measured), on one processor core while nothing else is to do.</numerusform>
            <numerusform>Transcribing takes about %n min of work per hour of audio on this computer (measured), on one processor core while nothing else is to do.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %n entries from the history?</source>
        <translation>
            <numerusform>Remove %n entry from the history?</numerusform>
            <numerusform>Remove %n entries from the history?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n entries.</source>
        <translation>
            <numerusform>Removed %n entry.</numerusform>
            <numerusform>Removed %n entries.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entries (all profiles) to %1.</source>
        <translation>
            <numerusform>Exported %n entry (all profiles) to %1.</numerusform>
            <numerusform>Exported %n entries (all profiles) to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n entries into %1;</source>
        <translation>
            <numerusform>Imported %n entry into %1;</numerusform>
            <numerusform>Imported %n entries into %1;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>skipped %n whose item is not in this library</source>
        <translation>
            <numerusform>skipped %n whose item is not in this library</numerusform>
            <numerusform>skipped %n whose items are not in this library</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already present.</source>
        <translation>
            <numerusform>%n already present.</numerusform>
            <numerusform>%n already present.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n entries from Kodi NFO files.</source>
        <translation>
            <numerusform>Added %n entry from Kodi NFO files.</numerusform>
            <numerusform>Added %n entries from Kodi NFO files.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n items</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n problems</source>
        <translation>
            <numerusform>⚠ %n problem</numerusform>
            <numerusform>⚠ %n problems</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message numerus="yes">
        <source>%n min left</source>
        <comment>time left to play</comment>
        <translation>
            <numerusform>%n min left</numerusform>
            <numerusform>%n min left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n days ago</source>
        <translation>
            <numerusform>Added %n day ago</numerusform>
            <numerusform>Added %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rated %1/10 by %n people</source>
        <translation>
            <numerusform>Rated %1/10 by %n person</numerusform>
            <numerusform>Rated %1/10 by %n people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message numerus="yes">
        <source>%n results</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShowListModel</name>
    <message numerus="yes">
        <source>%n episodes</source>
        <translation>
            <numerusform>%n episode</numerusform>
            <numerusform>%n episodes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n unplayed</source>
        <translation>
            <numerusform>%1 · %n unplayed</numerusform>
            <numerusform>%1 · %n unplayed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Statuses</name>
    <message numerus="yes">
        <source> · about %n min left</source>
        <translation>
            <numerusform> · about %n min left</numerusform>
            <numerusform> · about %n min left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · about %n s left</source>
        <translation>
            <numerusform> · about %n s left</numerusform>
            <numerusform> · about %n s left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n changes waiting</source>
        <translation>
            <numerusform> · %n change waiting</numerusform>
            <numerusform> · %n changes waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n folders not watched</source>
        <translation>
            <numerusform>%n folder not watched</numerusform>
            <numerusform>%n folders not watched</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Watching folders (%n checked by polling)</source>
        <translation>
            <numerusform>Watching folders (%n checked by polling)</numerusform>
            <numerusform>Watching folders (%n checked by polling)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message numerus="yes">
        <source>The demo library is ready: %n items.</source>
        <translation>
            <numerusform>The demo library is ready: %n item.</numerusform>
            <numerusform>The demo library is ready: %n items.</numerusform>
        </translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AppearanceTab</name>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>A new language applies fully when Reelcast starts again.</source>
        <translation>新语言将在 Reelcast 重新启动后完全生效。</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>BrowsePage</name>
    <message>
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Podcasts</source>
        <translation>播客</translation>
    </message>
    <message>
        <source>Shows</source>
        <translation>节目</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>栏目</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>栏目</translation>
    </message>
    <message>
        <source>Season</source>
        <translation>季</translation>
    </message>
    <message>
        <source>Filter by title</source>
        <translation>按标题筛选</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <source>Show items</source>
        <translation>显示项目</translation>
    </message>
    <message>
        <source>&amp;Unplayed only</source>
        <translation>仅未播放(&amp;U)</translation>
    </message>
    <message>
        <source>Unplayed only</source>
        <translation>仅未播放</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Show as a list</source>
        <translation>以列表显示</translation>
    </message>
    <message>
        <source>Show as a list (Ctrl+1)</source>
        <translation>以列表显示 (Ctrl+1)</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Show as a grid</source>
        <translation>以网格显示</translation>
    </message>
    <message>
        <source>Show as a grid (Ctrl+2)</source>
        <translation>以网格显示 (Ctrl+2)</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Nothing to show</source>
        <translation>没有可显示的内容</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Recently added</source>
        <translation>最近添加</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>最新优先</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>最早优先</translation>
    </message>
    <message>
        <source>Episode order</source>
        <translation>按集数顺序</translation>
    </message>
    <message>
        <source>Shortest first</source>
        <translation>最短优先</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Unplayed</source>
        <translation>未播放</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>已播放</translation>
    </message>
    <message>
        <source>Unwatched</source>
        <translation>未观看</translation>
    </message>
    <message>
        <source>Watched</source>
        <translation>已观看</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>详情(&amp;D)</translation>
    </message>
    <message>
        <source>Mark &amp;watched</source>
        <translation>标记为已观看(&amp;W)</translation>
    </message>
    <message>
        <source>Mark p&amp;layed</source>
        <translation>标记为已播放(&amp;L)</translation>
    </message>
    <message>
        <source>Mark &amp;unwatched</source>
        <translation>标记为未观看(&amp;U)</translation>
    </message>
    <message>
        <source>Mark &amp;unplayed</source>
        <translation>标记为未播放(&amp;U)</translation>
    </message>
    <message>
        <source>Item actions</source>
        <translation>项目操作</translation>
    </message>
    <message>
        <source>Show item actions</source>
        <translation>显示项目操作</translation>
    </message>
    <message>
        <source>Films</source>
        <translation>电影</translation>
    </message>
    <message>
        <source>Other audio</source>
        <translation>其他音频</translation>
    </message>
    <message>
        <source>All seasons</source>
        <translation>所有季</translation>
    </message>
    <message>
        <source>Season %1</source>
        <translation>第 %1 季</translation>
    </message>
    <message>
        <source>Could not read the library: %1</source>
        <translation>无法读取媒体库：%1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Nothing matches these filters</source>
        <translation>没有符合这些筛选条件的内容</translation>
    </message>
    <message>
        <source>This show has no episodes</source>
        <translation>此节目没有剧集</translation>
    </message>
    <message>
        <source>No films yet — add a video folder in Settings</source>
        <translation>还没有电影——请在设置中添加视频文件夹</translation>
    </message>
    <message>
        <source>No podcasts yet — add a podcast folder in Settings</source>
        <translation>还没有播客——请在设置中添加播客文件夹</translation>
    </message>
    <message>
        <source>No episodes</source>
        <translation>没有剧集</translation>
    </message>
</context>
<context>
    <name>CardActions</name>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Not interested</source>
        <translation>不感兴趣(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;More like this</source>
        <translation>更多类似内容(&amp;M)</translation>
    </message>
    <message>
        <source>Card actions</source>
        <translation>卡片操作</translation>
    </message>
    <message>
        <source>Show card actions</source>
        <translation>显示卡片操作</translation>
    </message>
</context>
<context>
    <name>CardDelegate</name>
    <message>
        <source>Playing</source>
        <translation>正在播放</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>%1, %2</source>
        <comment>date, then time</comment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>DetailView</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Back (Esc, Alt+Left)</source>
        <translation>返回 (Esc, Alt+Left)</translation>
    </message>
    <message>
        <source>Details status</source>
        <translation>详情状态</translation>
    </message>
    <message>
        <source>Artwork</source>
        <translation>封面</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Show and episode</source>
        <translation>节目与剧集</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Why it was recommended</source>
        <translation>推荐理由</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Save &amp;transcript</source>
        <translation>保存文字稿(&amp;T)</translation>
    </message>
    <message>
        <source>Save what was heard in this episode as subtitles (SRT) beside its file</source>
        <translation>将本集转写出的内容保存为字幕（SRT），放在其文件旁边</translation>
    </message>
    <message>
        <source>Mark unplayed</source>
        <translation>标记为未播放</translation>
    </message>
    <message>
        <source>Mark played</source>
        <translation>标记为已播放</translation>
    </message>
    <message>
        <source>Mark unwatched</source>
        <translation>标记为未观看</translation>
    </message>
    <message>
        <source>Mark watched</source>
        <translation>标记为已观看</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Like</source>
        <translation>喜欢</translation>
    </message>
    <message>
        <source>Take back the like</source>
        <translation>取消喜欢</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>不感兴趣</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简介</translation>
    </message>
    <message>
        <source>&amp;Chapters</source>
        <translation>章节(&amp;C)</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Your history of this item</source>
        <translation>你对此项目的历史记录</translation>
    </message>
    <message>
        <source>&amp;Remove from history</source>
        <translation>从历史记录中移除(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected history entry</source>
        <translation>移除所选的历史记录条目</translation>
    </message>
    <message>
        <source>Remove from history</source>
        <translation>从历史记录中移除</translation>
    </message>
    <message>
        <source>&amp;Your history</source>
        <translation>你的历史记录(&amp;Y)</translation>
    </message>
    <message>
        <source>More like this</source>
        <translation>更多类似内容</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Enter opens the selected item; Ctrl+Enter plays it; the Menu key shows more.</source>
        <translation>按 Enter 打开所选项目；按 Ctrl+Enter 播放；按菜单键显示更多操作。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>No description.</source>
        <translation>没有简介。</translation>
    </message>
    <message>
        <source>Could not show this item: %1</source>
        <translation>无法显示此项目：%1</translation>
    </message>
    <message>
        <source>More like this (finding similar items…)</source>
        <translation>更多类似内容（正在查找相似项目…）</translation>
    </message>
    <message>
        <source>More like this: nothing yet</source>
        <translation>更多类似内容：暂无</translation>
    </message>
    <message>
        <source>More like this is not available: %1</source>
        <translation>无法获取更多类似内容：%1</translation>
    </message>
    <message>
        <source>Recommended: %1</source>
        <translation>推荐理由：%1</translation>
    </message>
    <message>
        <source>Season %1, episode %2</source>
        <translation>第 %1 季第 %2 集</translation>
    </message>
    <message>
        <source>Episode %1</source>
        <translation>第 %1 集</translation>
    </message>
    <message>
        <source>Season %1</source>
        <translation>第 %1 季</translation>
    </message>
    <message>
        <source>(%1 votes)</source>
        <translation>（%1 票）</translation>
    </message>
    <message>
        <source>With %1</source>
        <translation>演员：%1</translation>
    </message>
    <message>
        <source>No file: this item is known only from its feed or history.</source>
        <translation>没有文件：此项目仅来自订阅源或历史记录。</translation>
    </message>
    <message>
        <source>Chapters</source>
        <translation>章节</translation>
    </message>
    <message>
        <source>Click a chapter or press Enter to play from there.</source>
        <translation>点击章节或按 Enter 从该处开始播放。</translation>
    </message>
    <message>
        <source>Chapter %1</source>
        <translation>第 %1 章</translation>
    </message>
    <message>
        <source>Play from %1</source>
        <translation>从 %1 开始播放</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Warnings about this item</source>
        <translation>此条目的警告</translation>
    </message>
    <message>
        <source>Scan error (%1): %2</source>
        <translation>扫描错误（%1）：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Nothing yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>Interested again</source>
        <translation>重新感兴趣</translation>
    </message>
    <message>
        <source>&amp;Resume from %1</source>
        <translation>从 %1 继续播放(&amp;R)</translation>
    </message>
    <message>
        <source>Transcript saved as %1</source>
        <translation>文字稿已保存为 %1</translation>
    </message>
    <message>
        <source>That change was not saved: %1</source>
        <translation>此更改未保存：%1</translation>
    </message>
</context>
<context>
    <name>ErrorsModel</name>
    <message>
        <source>Folder could not be listed</source>
        <translation>无法列出文件夹内容</translation>
    </message>
    <message>
        <source>File could not be opened</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Unreadable or unsupported file</source>
        <translation>文件无法读取或格式不受支持</translation>
    </message>
    <message>
        <source>Reading took too long</source>
        <translation>读取超时</translation>
    </message>
    <message>
        <source>Companion file ignored; the item is in your library</source>
        <translation>附属文件已忽略；该项目已在媒体库中</translation>
    </message>
    <message>
        <source>Damaged or incomplete file; the item is in your library</source>
        <translation>文件损坏或不完整；该项目已在媒体库中</translation>
    </message>
    <message>
        <source>Unsupported format</source>
        <translation>不支持的格式</translation>
    </message>
    <message>
        <source>Incomplete download: playback stops at %1 of %2</source>
        <translation>下载不完整：播放在 %1 处中断（共 %2）</translation>
    </message>
    <message>
        <source>Incomplete download: playback stops at %1</source>
        <translation>下载不完整：播放在 %1 处中断</translation>
    </message>
    <message>
        <source>Incomplete download: the end of the file is missing</source>
        <translation>下载不完整：文件末尾缺失</translation>
    </message>
    <message>
        <source>Damaged file: its details could be read, but it may not play</source>
        <translation>文件已损坏：可以读取其信息，但可能无法播放</translation>
    </message>
    <message>
        <source>Unknown duration: the file does not say how long it is</source>
        <translation>时长未知：文件未注明其长度</translation>
    </message>
    <message>
        <source>Nothing in the file could be read; it is listed from its companion files</source>
        <translation>文件内容无法读取；根据其附属文件列出</translation>
    </message>
    <message>
        <source>Reelcast cannot play %1 files</source>
        <translation>Reelcast 无法播放 %1 文件</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Every file could be read</source>
        <translation>所有文件均可读取</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between counts</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message numerus="yes">
        <source>%n files could not be read</source>
        <translation>
            <numerusform>%n 个文件无法读取</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message>
        <source>The item is in your library; this file is cut off or damaged.</source>
        <translation>该项目已在媒体库中；此文件不完整或已损坏。</translation>
    </message>
    <message>
        <source>The item is in your library; this companion file was not used.</source>
        <translation>该项目已在媒体库中；此附属文件未被使用。</translation>
    </message>
    <message>
        <source>This file is not in your library.</source>
        <translation>此文件不在媒体库中。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>ErrorsPanel</name>
    <message>
        <source>Why isn&apos;t this item here?</source>
        <translation>为什么找不到这个项目？</translation>
    </message>
    <message>
        <source>Filter by file, problem or details</source>
        <translation>按文件、问题或详情筛选</translation>
    </message>
    <message>
        <source>Filter problems</source>
        <translation>筛选问题</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Problems with library files</source>
        <translation>媒体库文件的问题</translation>
    </message>
    <message>
        <source>Errors: these files were found in your library folders but could not be read, so they are not in your library. Warnings: the item is in your library, but a companion file of it (NFO, subtitles, artwork) was ignored. Fix or replace a file and it is read again on the next scan.</source>
        <translation>错误：这些文件位于媒体库文件夹中，但无法读取，因此不在媒体库中。警告：该项目已在媒体库中，但它的某个附属文件（NFO、字幕、封面图）被忽略了。修复或替换文件后，下次扫描时会重新读取。</translation>
    </message>
    <message>
        <source>Number of problems</source>
        <translation>问题数量</translation>
    </message>
    <message>
        <source>Problem list status</source>
        <translation>问题列表状态</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Refresh the list of problems</source>
        <translation>刷新问题列表</translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation>复制详情(&amp;C)</translation>
    </message>
    <message>
        <source>Copy details of the selected problems</source>
        <translation>复制所选问题的详情</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>Open the folder holding the file</source>
        <translation>打开文件所在的文件夹</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Could not read the list of problems: %1</source>
        <translation>无法读取问题列表：%1</translation>
    </message>
    <message>
        <source>Reading the list of problems…</source>
        <translation>正在读取问题列表…</translation>
    </message>
    <message>
        <source> (%1 shown)</source>
        <translation>（显示 %1 个）</translation>
    </message>
    <message>
        <source>Could not open the folder %1</source>
        <translation>无法打开文件夹 %1</translation>
    </message>
</context>
<context>
    <name>FoldersTab</name>
    <message>
        <source>Library folders</source>
        <translation>媒体库文件夹</translation>
    </message>
    <message>
        <source>What transcription costs</source>
        <translation>语音转写的开销</translation>
    </message>
    <message>
        <source>A&amp;dd…</source>
        <translation>添加(&amp;D)…</translation>
    </message>
    <message>
        <source>Add a library folder</source>
        <translation>添加媒体库文件夹</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected folder</source>
        <translation>移除所选文件夹</translation>
    </message>
    <message>
        <source>&amp;Moved…</source>
        <translation>已移动(&amp;M)…</translation>
    </message>
    <message>
        <source>The selected folder moved: choose where</source>
        <translation>所选文件夹已移动：选择新位置</translation>
    </message>
    <message>
        <source>The folder is somewhere else now (a drive mounted elsewhere, a renamed folder): point it there and keep its items and history.</source>
        <translation>文件夹现在在别处（磁盘挂载到了其他位置，或文件夹改了名）：指向新位置，保留其中的条目和观看记录。</translation>
    </message>
    <message>
        <source>Folder status</source>
        <translation>文件夹状态</translation>
    </message>
    <message>
        <source>Transcribing uses one processor core while nothing else is to do; how long it takes on this computer is shown here after the first episode.</source>
        <translation>语音转写在空闲时使用一个处理器核心；转写完第一集后，这里会显示它在本机上需要多长时间。</translation>
    </message>
    <message numerus="yes">
        <source>Transcribing takes about %n min of work per hour of audio on this computer (measured), on one processor core while nothing else is to do.</source>
        <translation>
            <numerusform>在本机上，每小时音频的转写约需 %n 分钟（实测），在空闲时使用一个处理器核心。</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder kind</source>
        <translation>文件夹类型</translation>
    </message>
    <message>
        <source>This folder holds:</source>
        <translation>此文件夹包含：</translation>
    </message>
    <message>
        <source>Folder moved?</source>
        <translation>文件夹已移动？</translation>
    </message>
    <message>
        <source>This looks like “%1”, which moved. Move it here?

Moving keeps it as one folder. Either way its items and their viewing history stay.</source>
        <translation>这看起来是已移动的“%1”。要把它移到这里吗？

移动后仍是同一个文件夹。无论如何，其中的条目和观看记录都会保留。</translation>
    </message>
    <message>
        <source>Where is “%1” now?</source>
        <translation>“%1”现在在哪里？</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>移除文件夹</translation>
    </message>
    <message>
        <source>Stop watching “%1”?

Its items and their viewing history stay in the library; adding the folder again brings them back.</source>
        <translation>停止监视“%1”？

其中的项目及观看历史会保留在媒体库中；重新添加该文件夹即可恢复。</translation>
    </message>
    <message>
        <source>Episodes without a transcript will be transcribed when nothing else is to do.</source>
        <translation>没有文字稿的单集将在空闲时转写。</translation>
    </message>
    <message>
        <source>No more episodes of this folder will be transcribed.</source>
        <translation>此文件夹的单集将不再转写。</translation>
    </message>
    <message>
        <source>Moved to %1; checking its files now.</source>
        <translation>已移动到 %1；正在检查其中的文件。</translation>
    </message>
    <message>
        <source>Adding %1…</source>
        <translation>正在添加 %1…</translation>
    </message>
    <message>
        <source>Folder removed.</source>
        <translation>文件夹已移除。</translation>
    </message>
    <message>
        <source>Moving the folder to %1…</source>
        <translation>正在把文件夹移动到 %1…</translation>
    </message>
    <message>
        <source>Kind changed; the folder is read again.</source>
        <translation>类型已更改；正在重新读取该文件夹。</translation>
    </message>
    <message>
        <source>Added %1; scanning it now.</source>
        <translation>已添加 %1，正在扫描。</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>, </source>
        <comment>between the names in a list</comment>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>FullScreenWindow</name>
    <message>
        <source>Full-screen video</source>
        <translation>全屏视频</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>播放或暂停（空格键）</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Seek</source>
        <translation>跳转</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Leave full screen (Esc or F)</source>
        <translation>退出全屏（Esc 或 F）</translation>
    </message>
    <message>
        <source>Leave full screen</source>
        <translation>退出全屏</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
</context>
<context>
    <name>HeroBand</name>
    <message>
        <source>Featured</source>
        <translation>精选</translation>
    </message>
    <message>
        <source>More like this</source>
        <translation>更多类似内容</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续播放</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Profile</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Number of history entries</source>
        <translation>历史记录条目数</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Plays</source>
        <translation>播放记录</translation>
    </message>
    <message>
        <source>Watched</source>
        <translation>已看</translation>
    </message>
    <message>
        <source>Likes &amp; feedback</source>
        <translation>喜欢与反馈</translation>
    </message>
    <message>
        <source>Show entries</source>
        <translation>显示条目</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected entries</source>
        <translation>移除所选条目</translation>
    </message>
    <message>
        <source>Remove the selected entries (Delete)</source>
        <translation>移除所选条目 (Delete)</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the history of all profiles</source>
        <translation>导出所有用户的历史记录</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Import a history file into this profile</source>
        <translation>将历史记录文件导入此用户</translation>
    </message>
    <message>
        <source>Import from &amp;Kodi NFO</source>
        <translation>从 Kodi NFO 导入(&amp;K)</translation>
    </message>
    <message>
        <source>Import play counts and resume points from Kodi NFO files</source>
        <translation>从 Kodi NFO 文件导入播放次数和续播位置</translation>
    </message>
    <message>
        <source>History entries</source>
        <translation>历史记录条目</translation>
    </message>
    <message>
        <source>Enter shows the item; Delete removes the selected entries.</source>
        <translation>按 Enter 显示项目；按 Delete 移除所选条目。</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Show &amp;details</source>
        <translation>显示详情(&amp;D)</translation>
    </message>
    <message>
        <source>No history</source>
        <translation>没有历史记录</translation>
    </message>
    <message>
        <source>History status</source>
        <translation>历史记录状态</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>历史记录：%1</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>No history for this profile yet. What you play, finish, mark as watched or like appears here.</source>
        <translation>此用户还没有历史记录。你播放、看完、标记为已看或喜欢的内容会显示在这里。</translation>
    </message>
    <message>
        <source>No history entries of this kind.</source>
        <translation>没有此类历史记录条目。</translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation>无法读取历史记录：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n 条记录</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %n entries from the history?</source>
        <translation>
            <numerusform>要从历史记录中删除 %n 条记录吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n entries.</source>
        <translation>
            <numerusform>已删除 %n 条记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entries (all profiles) to %1.</source>
        <translation>
            <numerusform>已将 %n 条记录（所有用户）导出到 %1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n entries into %1;</source>
        <translation>
            <numerusform>已向 %1 导入 %n 条记录；</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>skipped %n whose item is not in this library</source>
        <translation>
            <numerusform>跳过 %n 条（对应项目不在此媒体库中）</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>between counts</comment>
        <translation>，</translation>
    </message>
    <message numerus="yes">
        <source>%n already present.</source>
        <translation>
            <numerusform>%n 条已存在。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n entries from Kodi NFO files.</source>
        <translation>
            <numerusform>已从 Kodi NFO 文件添加 %n 条记录。</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove this entry from the history?</source>
        <translation>要从历史记录中移除此条目吗？</translation>
    </message>
    <message>
        <source>Remove history entries</source>
        <translation>移除历史记录条目</translation>
    </message>
    <message>
        <source>Watched marks, resume points and feedback are updated to match.</source>
        <translation>已看标记、续播位置和反馈会相应更新。</translation>
    </message>
    <message>
        <source>The entries could not be removed: %1</source>
        <translation>无法移除这些条目：%1</translation>
    </message>
    <message>
        <source>JSON, complete (*.json)</source>
        <translation>JSON，完整 (*.json)</translation>
    </message>
    <message>
        <source>CSV, for spreadsheets (*.csv)</source>
        <translation>CSV，用于电子表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message>
        <source>The history was not exported: %1</source>
        <translation>历史记录未导出：%1</translation>
    </message>
    <message>
        <source>Import history</source>
        <translation>导入历史记录</translation>
    </message>
    <message>
        <source>History files (*.json *.csv);;All files (*)</source>
        <translation>历史记录文件 (*.json *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Nothing was imported: no profile is loaded yet.</source>
        <translation>未导入任何内容：尚未加载用户。</translation>
    </message>
    <message>
        <source>Nothing was imported: %1</source>
        <translation>未导入任何内容：%1</translation>
    </message>
    <message>
        <source>The Kodi NFO files hold nothing new.</source>
        <translation>Kodi NFO 文件中没有新内容。</translation>
    </message>
    <message>
        <source>Nothing was imported from Kodi NFO files: %1</source>
        <translation>未从 Kodi NFO 文件导入任何内容：%1</translation>
    </message>
</context>
<context>
    <name>HomeView</name>
    <message>
        <source>Home</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>Preparing recommendations…</source>
        <translation>正在准备推荐…</translation>
    </message>
    <message>
        <source>Home status</source>
        <translation>主页状态</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Add a folder to get recommendations</source>
        <translation>添加文件夹以获取推荐</translation>
    </message>
    <message>
        <source>Nothing to suggest right now: Videos and Podcasts list all you have.</source>
        <translation>暂时没有可推荐的内容：在“视频”和“播客”中可以看到你的全部内容。</translation>
    </message>
    <message>
        <source>Recommendations are not available: {error}</source>
        <translation>无法获取推荐：{error}</translation>
    </message>
    <message>
        <source>Because you watched {title}</source>
        <translation>因为你看过 {title}</translation>
    </message>
    <message>
        <source>Continue watching</source>
        <translation>继续观看</translation>
    </message>
    <message>
        <source>Next up</source>
        <translation>接下来播放</translation>
    </message>
    <message>
        <source>For you</source>
        <translation>为你推荐</translation>
    </message>
    <message>
        <source>Popular picks to start with</source>
        <translation>热门推荐，从这里开始</translation>
    </message>
    <message>
        <source>Explore your library</source>
        <translation>浏览你的媒体库</translation>
    </message>
    <message>
        <source>Because you watched</source>
        <translation>因为你看过</translation>
    </message>
    <message>
        <source>Profiles like yours</source>
        <translation>与你相似的用户也在看</translation>
    </message>
    <message>
        <source>New in your library</source>
        <translation>媒体库新增内容</translation>
    </message>
    <message>
        <source>More like this</source>
        <translation>更多类似内容</translation>
    </message>
    <message>
        <source>That change was not saved: {error}</source>
        <translation>此更改未保存：{error}</translation>
    </message>
</context>
<context>
    <name>IndexStatus</name>
    <message>
        <source>Indexing status</source>
        <translation>索引状态</translation>
    </message>
    <message>
        <source>Folder watching</source>
        <translation>文件夹监视</translation>
    </message>
    <message>
        <source>Pause indexing</source>
        <translation>暂停索引</translation>
    </message>
    <message>
        <source>Pause or resume indexing</source>
        <translation>暂停或继续索引</translation>
    </message>
    <message>
        <source>Resume indexing</source>
        <translation>继续索引</translation>
    </message>
</context>
<context>
    <name>IndexingTab</name>
    <message>
        <source>Imme&amp;diately: index each change as it settles</source>
        <translation>立即(&amp;D)：每项更改稳定后即建立索引</translation>
    </message>
    <message>
        <source>In &amp;batches: fewer, larger index updates</source>
        <translation>分批(&amp;B)：减少索引更新次数，每次更新更多内容</translation>
    </message>
    <message>
        <source>Changes per batch</source>
        <translation>每批更改数</translation>
    </message>
    <message>
        <source>Seconds before a batch is indexed</source>
        <translation>一批更改建立索引前等待的秒数</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>A batch is indexed after this many changes or this long after its first.</source>
        <translation>达到此更改数量，或距第一项更改达到此时长后，即为该批建立索引。</translation>
    </message>
    <message>
        <source>&amp;Changes per batch:</source>
        <translation>每批更改数(&amp;C)：</translation>
    </message>
    <message>
        <source>Or after &amp;seconds:</source>
        <translation>或等待秒数(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>ItemListModel</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>节目</translation>
    </message>
    <message>
        <source>Episode</source>
        <translation>集</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>已播放</translation>
    </message>
    <message>
        <source>Watched</source>
        <translation>已观看</translation>
    </message>
    <message>
        <source>In progress %1%</source>
        <translation>进行中 %1%</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Unplayed</source>
        <translation>未播放</translation>
    </message>
    <message>
        <source>Unwatched</source>
        <translation>未观看</translation>
    </message>
    <message>
        <source>%1 · Missing</source>
        <translation>%1 · 缺失</translation>
    </message>
    <message>
        <source>%1 · Offline</source>
        <translation>%1 · 离线</translation>
    </message>
</context>
<context>
    <name>KindDelegate</name>
    <message>
        <source>Folder kind</source>
        <translation>文件夹类型</translation>
    </message>
</context>
<context>
    <name>Length</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>日志行</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <source>Which log lines to show</source>
        <translation>要显示的日志行</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>Find in log</source>
        <translation>在日志中查找</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find the next match</source>
        <translation>查找下一个匹配项</translation>
    </message>
    <message>
        <source>Open log &amp;folder</source>
        <translation>打开日志文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>Open the folder holding the log files</source>
        <translation>打开日志文件所在的文件夹</translation>
    </message>
    <message>
        <source>Log viewer status</source>
        <translation>日志查看器状态</translation>
    </message>
    <message>
        <source>Find next</source>
        <translation>查找下一个</translation>
    </message>
    <message>
        <source>Cannot read the log: %1</source>
        <translation>无法读取日志：%1</translation>
    </message>
    <message>
        <source>Search wrapped to the top</source>
        <translation>已从头开始搜索</translation>
    </message>
    <message>
        <source>Not found: %1</source>
        <translation>未找到：%1</translation>
    </message>
    <message>
        <source>Could not open the folder %1</source>
        <translation>无法打开文件夹 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sections</source>
        <translation>栏目</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置（Ctrl+,）</translation>
    </message>
    <message>
        <source>Now playing</source>
        <translation>正在播放</translation>
    </message>
    <message>
        <source>Language warning</source>
        <translation>语言警告</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Podcasts</source>
        <translation>播客</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message numerus="yes">
        <source>%n items</source>
        <translation>
            <numerusform>%n 个项目</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n problems</source>
        <translation>
            <numerusform>⚠ %n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>Podcasts and videos</source>
        <translation>播客和视频</translation>
    </message>
    <message>
        <source>This language needs a font this system does not have: install one (for Chinese, Japanese or Korean: fonts-noto-cjk) or choose another language in Settings.</source>
        <translation>此语言需要本系统没有的字体：请安装一个（中文、日文或韩文可安装 fonts-noto-cjk），或在设置中选择其他语言。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Player</source>
        <translation>播放器</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Scan status</source>
        <translation>扫描状态</translation>
    </message>
    <message>
        <source>Items in the library</source>
        <translation>媒体库中的项目</translation>
    </message>
    <message>
        <source>No library folders yet: add one to begin.</source>
        <translation>还没有媒体库文件夹：请添加一个以开始。</translation>
    </message>
    <message>
        <source>Add a library folder</source>
        <translation>添加媒体库文件夹</translation>
    </message>
    <message>
        <source>Folder kind</source>
        <translation>文件夹类型</translation>
    </message>
    <message>
        <source>This folder holds:</source>
        <translation>此文件夹包含：</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <source>Reading %1 of %2 files (%3/s)</source>
        <translation>正在读取文件 %1/%2（%3 个/秒）</translation>
    </message>
    <message>
        <source>Scan done: %1 added, %2 updated, %3 moved, %4 missing, %5 offline, %6 errors</source>
        <translation>扫描完成：新增 %1，更新 %2，移动 %3，缺失 %4，离线 %5，错误 %6</translation>
    </message>
    <message>
        <source>The new language applies when Reelcast starts again.</source>
        <translation>新语言将在 Reelcast 重新启动后生效。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Add folder…</source>
        <translation>添加文件夹(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Scan library</source>
        <translation>扫描媒体库(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>设置(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Home</source>
        <translation>主页(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Videos</source>
        <translation>视频(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Podcasts</source>
        <translation>播客(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>Histo&amp;ry</source>
        <translation>历史记录(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>返回(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Problems</source>
        <translation>问题(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>日志(&amp;L)</translation>
    </message>
    <message>
        <source>P&amp;layer</source>
        <translation>播放器(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Play/&amp;Pause</source>
        <translation>播放/暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
</context>
<context>
    <name>ModelTab</name>
    <message>
        <source>Model in use</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>&amp;Bundled model (%1)</source>
        <translation>内置模型(&amp;B)（%1）</translation>
    </message>
    <message>
        <source>&amp;Local sentence-transformers folder:</source>
        <translation>本地 sentence-transformers 文件夹(&amp;L)：</translation>
    </message>
    <message>
        <source>Model advice</source>
        <translation>模型建议</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>A folder containing modules.json</source>
        <translation>包含 modules.json 的文件夹</translation>
    </message>
    <message>
        <source>B&amp;rowse…</source>
        <translation>浏览(&amp;R)…</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>&amp;Switch</source>
        <translation>切换(&amp;S)</translation>
    </message>
    <message>
        <source>Switch to the chosen model</source>
        <translation>切换到所选模型</translation>
    </message>
    <message>
        <source>Cancel switch</source>
        <translation>取消切换</translation>
    </message>
    <message>
        <source>Cancel the model switch</source>
        <translation>取消模型切换</translation>
    </message>
    <message>
        <source>Model switch progress</source>
        <translation>模型切换进度</translation>
    </message>
    <message>
        <source>Model status</source>
        <translation>模型状态</translation>
    </message>
    <message>
        <source>Switching embeds the whole library again with the new model. Search and recommendations keep using the current model until that is done. Models are never downloaded: choose a folder that is already on this computer.</source>
        <translation>切换后会用新模型重新嵌入整个媒体库。完成之前，搜索和推荐仍使用当前模型。模型不会自动下载：请选择本机上已有的文件夹。</translation>
    </message>
    <message>
        <source>In use:</source>
        <translation>使用中：</translation>
    </message>
    <message>
        <source>&amp;Multilingual model (Universal Sentence Encoder: %1 languages)</source>
        <translation>多语言模型(&amp;M)（Universal Sentence Encoder：%1 种语言）</translation>
    </message>
    <message>
        <source>Local model in %1</source>
        <translation>本地模型，位于 %1</translation>
    </message>
    <message>
        <source>Bundled model (%1)</source>
        <translation>内置模型（%1）</translation>
    </message>
    <message>
        <source>%1 of %2 items are in languages the bundled model was not trained for (%3).</source>
        <translation>%2 个条目中有 %1 个使用内置模型未曾训练过的语言（%3）。</translation>
    </message>
    <message>
        <source>%1 The %2 understands them, so it was chosen when the library was first indexed.</source>
        <translation>%1 %2 能理解这些语言，因此在首次建立索引时选用了它。</translation>
    </message>
    <message>
        <source>%1 The %2 in use understands them.</source>
        <translation>%1 正在使用的 %2 能理解这些语言。</translation>
    </message>
    <message>
        <source>%1 The %2 understands them: switch to it for better search and recommendations.</source>
        <translation>%1 %2 能理解这些语言：切换到它，搜索和推荐会更好。</translation>
    </message>
    <message>
        <source>Advised for this library</source>
        <translation>推荐用于此媒体库</translation>
    </message>
    <message>
        <source>Choose a sentence-transformers model folder</source>
        <translation>选择 sentence-transformers 模型文件夹</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Preparing… (loading the model)</source>
        <translation>正在准备…（加载模型）</translation>
    </message>
    <message>
        <source>Embedding the library with the new model: %1 of %2…</source>
        <translation>正在用新模型嵌入媒体库：%1 / %2…</translation>
    </message>
    <message>
        <source>Cancelled; the current model stays in use.</source>
        <translation>已取消；继续使用当前模型。</translation>
    </message>
    <message>
        <source>Switched; search and recommendations use the new model.</source>
        <translation>已切换；搜索和推荐现在使用新模型。</translation>
    </message>
    <message>
        <source>Could not switch: %1. The current model stays in use.</source>
        <translation>无法切换：%1。继续使用当前模型。</translation>
    </message>
</context>
<context>
    <name>NowPlayingBar</name>
    <message>
        <source>Now playing</source>
        <translation>正在播放</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>节目</translation>
    </message>
    <message>
        <source>Back {n} seconds</source>
        <translation>后退 {n} 秒</translation>
    </message>
    <message>
        <source>Back {n} seconds (Left in the player)</source>
        <translation>后退 {n} 秒（在播放器中按左方向键）</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>播放或暂停</translation>
    </message>
    <message>
        <source>Forward {n} seconds</source>
        <translation>前进 {n} 秒</translation>
    </message>
    <message>
        <source>Forward {n} seconds (Shift+Right in the player)</source>
        <translation>前进 {n} 秒（在播放器中按 Shift+右方向键）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Next episode</source>
        <translation>下一集</translation>
    </message>
    <message>
        <source>Show the player</source>
        <translation>显示播放器</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>已播放时间</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Seek</source>
        <translation>跳转</translation>
    </message>
    <message>
        <source>Hide the player</source>
        <translation>隐藏播放器</translation>
    </message>
    <message>
        <source>Next episode: {title}</source>
        <translation>下一集：{title}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
<context>
    <name>PassageResults</name>
    <message>
        <source>Said in episodes</source>
        <translation>节目中说到</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <source>Player</source>
        <translation>播放器</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Now playing</source>
        <translation>正在播放</translation>
    </message>
    <message>
        <source>Player message</source>
        <translation>播放器消息</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Seek</source>
        <translation>跳转</translation>
    </message>
    <message>
        <source>Back 30 seconds</source>
        <translation>后退 30 秒</translation>
    </message>
    <message>
        <source>Back 30 seconds (Shift+Left)</source>
        <translation>后退 30 秒 (Shift+Left)</translation>
    </message>
    <message>
        <source>Back 10 seconds</source>
        <translation>后退 10 秒</translation>
    </message>
    <message>
        <source>Back 10 seconds (Left)</source>
        <translation>后退 10 秒 (Left)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>播放或暂停 (Space)</translation>
    </message>
    <message>
        <source>Forward 10 seconds</source>
        <translation>前进 10 秒</translation>
    </message>
    <message>
        <source>Forward 10 seconds (Right)</source>
        <translation>前进 10 秒 (Right)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>节目</translation>
    </message>
    <message>
        <source>Forward 30 seconds</source>
        <translation>前进 30 秒</translation>
    </message>
    <message>
        <source>Forward 30 seconds (Shift+Right)</source>
        <translation>前进 30 秒 (Shift+Right)</translation>
    </message>
    <message>
        <source>Next episode</source>
        <translation>下一集</translation>
    </message>
    <message>
        <source>Play the next episode of this show</source>
        <translation>播放此节目的下一集</translation>
    </message>
    <message>
        <source>Chapters menu</source>
        <translation>章节菜单</translation>
    </message>
    <message>
        <source>Chapters</source>
        <translation>章节</translation>
    </message>
    <message>
        <source>Jump to a chapter</source>
        <translation>跳转到章节</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>{speed}×</source>
        <translation>{speed}×</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Mute or unmute (M)</source>
        <translation>静音或取消静音 (M)</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Volume (Up/Down)</source>
        <translation>音量 (Up/Down)</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Full screen video (F; Escape leaves)</source>
        <translation>全屏播放视频（F；按 Esc 退出）</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Nothing playing</source>
        <translation>没有正在播放的内容</translation>
    </message>
    <message>
        <source>Stop ({keys})</source>
        <translation>停止（{keys}）</translation>
    </message>
    <message>
        <source>No audio output device found: playing without sound.</source>
        <translation>未找到音频输出设备：将无声播放。</translation>
    </message>
    <message>
        <source>Could not open this item: {error}</source>
        <translation>无法打开此项目：{error}</translation>
    </message>
    <message>
        <source>This item is no longer in the library.</source>
        <translation>此项目已不在媒体库中。</translation>
    </message>
    <message>
        <source>The drive holding this file is offline: {path}. Connect it and try again.</source>
        <translation>存放此文件的驱动器已离线：{path}。请连接后重试。</translation>
    </message>
    <message>
        <source>The file is missing: {path}. It was moved or deleted; rescan the library.</source>
        <translation>文件缺失：{path}。它已被移动或删除；请重新扫描媒体库。</translation>
    </message>
    <message>
        <source>This item has no file to play.</source>
        <translation>此项目没有可播放的文件。</translation>
    </message>
    <message>
        <source>Chapter</source>
        <translation>章节</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cannot play this file: {reason}</source>
        <translation>无法播放此文件：{reason}</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Leave full screen</source>
        <translation>退出全屏</translation>
    </message>
    <message>
        <source>Could not record your progress: {error}</source>
        <translation>无法记录播放进度：{error}</translation>
    </message>
    <message>
        <source>Next episode: {title}</source>
        <translation>下一集：{title}</translation>
    </message>
</context>
<context>
    <name>ProfileSwitcher</name>
    <message>
        <source>Profile</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Who is watching: history and recommendations are per profile</source>
        <translation>谁在观看：每个用户有各自的历史记录和推荐</translation>
    </message>
    <message>
        <source>Manage profiles…</source>
        <translation>管理用户…</translation>
    </message>
</context>
<context>
    <name>ProfilesModel</name>
    <message>
        <source>%1 (default)</source>
        <translation>%1（默认）</translation>
    </message>
</context>
<context>
    <name>ProfilesTab</name>
    <message>
        <source>Profiles</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>A&amp;dd…</source>
        <translation>添加(&amp;D)…</translation>
    </message>
    <message>
        <source>Add a profile</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>重命名(&amp;N)…</translation>
    </message>
    <message>
        <source>Rename the selected profile</source>
        <translation>重命名所选用户</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete the selected profile</source>
        <translation>删除所选用户</translation>
    </message>
    <message>
        <source>Make defa&amp;ult</source>
        <translation>设为默认(&amp;U)</translation>
    </message>
    <message>
        <source>Make the selected profile the default</source>
        <translation>将所选用户设为默认</translation>
    </message>
    <message>
        <source>Interests</source>
        <translation>兴趣</translation>
    </message>
    <message>
        <source>e.g. glaciers, jazz history, Italian opera</source>
        <translation>例如：冰川、爵士乐史、意大利歌剧</translation>
    </message>
    <message>
        <source>In&amp;terests (guide recommendations until there is viewing history):</source>
        <translation>兴趣(&amp;T)（在有观看历史之前用于引导推荐）：</translation>
    </message>
    <message>
        <source>Profile status</source>
        <translation>用户状态</translation>
    </message>
    <message>
        <source>Add profile</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Rename profile</source>
        <translation>重命名用户</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除用户</translation>
    </message>
    <message>
        <source>Delete the profile “%1”?

Its viewing history, progress, likes and follows are deleted with it. This cannot be undone.</source>
        <translation>删除用户“%1”？

其观看历史、播放进度、喜欢和关注将一并删除。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Profile added.</source>
        <translation>已添加用户。</translation>
    </message>
    <message>
        <source>Renamed.</source>
        <translation>已重命名。</translation>
    </message>
    <message>
        <source>Profile and its history deleted.</source>
        <translation>已删除用户及其历史记录。</translation>
    </message>
    <message>
        <source>Default profile changed.</source>
        <translation>默认用户已更改。</translation>
    </message>
    <message>
        <source>Interests saved.</source>
        <translation>兴趣已保存。</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>You liked this</source>
        <translation>你喜欢过这个</translation>
    </message>
    <message>
        <source>Because you liked %1</source>
        <translation>因为你喜欢 %1</translation>
    </message>
    <message>
        <source>Because you watched %1</source>
        <translation>因为你看过 %1</translation>
    </message>
    <message>
        <source>Often watched with %1 on this computer</source>
        <translation>在这台电脑上常与 %1 一起观看</translation>
    </message>
    <message>
        <source>Similar to %1</source>
        <translation>与 %1 类似</translation>
    </message>
    <message>
        <source>Popular with viewers</source>
        <translation>深受观众喜爱</translation>
    </message>
    <message>
        <source>Something different</source>
        <translation>换换口味</translation>
    </message>
    <message>
        <source>A popular pick to start with</source>
        <translation>热门推荐，从这里开始</translation>
    </message>
    <message>
        <source>A pick to start with</source>
        <translation>从这里开始</translation>
    </message>
    <message>
        <source>From your library</source>
        <translation>来自你的媒体库</translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <comment>time left to play</comment>
        <translation>
            <numerusform>还剩 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>Pick up where you left off</source>
        <translation>从上次停下的地方继续</translation>
    </message>
    <message>
        <source>Next episode</source>
        <translation>下一集</translation>
    </message>
    <message>
        <source>Next in %1, a show you follow</source>
        <translation>%1 的下一集（你关注的节目）</translation>
    </message>
    <message>
        <source>Next in %1</source>
        <translation>%1 的下一集</translation>
    </message>
    <message>
        <source>Watched by %1 and %2</source>
        <translation>%1 和 %2 看过</translation>
    </message>
    <message>
        <source>Watched by %1</source>
        <translation>%1 看过</translation>
    </message>
    <message>
        <source>Watched by profiles like yours</source>
        <translation>与你口味相近的用户看过</translation>
    </message>
    <message>
        <source>Added today</source>
        <translation>今天添加</translation>
    </message>
    <message>
        <source>Added yesterday</source>
        <translation>昨天添加</translation>
    </message>
    <message numerus="yes">
        <source>Added %n days ago</source>
        <translation>
            <numerusform>%n 天前添加</numerusform>
        </translation>
    </message>
    <message>
        <source>Similarity %1</source>
        <comment>cosine similarity of two items</comment>
        <translation>相似度 %1</translation>
    </message>
    <message numerus="yes">
        <source>Rated %1/10 by %n people</source>
        <translation>
            <numerusform>%n 人评分，平均 %1/10</numerusform>
        </translation>
    </message>
    <message>
        <source>Taste match %1</source>
        <translation>口味匹配度 %1</translation>
    </message>
    <message>
        <source>Stopped at %1</source>
        <translation>停在 %1</translation>
    </message>
</context>
<context>
    <name>RootsModel</name>
    <message>
        <source>Transcription is not available in this installation.</source>
        <translation>此安装不支持语音转写。</translation>
    </message>
    <message>
        <source>Listen to the episodes in this folder that have no transcript or subtitles, so that what is said in them can be searched. It runs when nothing else is to do and pauses while you play something.</source>
        <translation>收听此文件夹中没有文字稿或字幕的单集，以便搜索其中说到的内容。仅在空闲时进行，播放时暂停。</translation>
    </message>
    <message>
        <source>Transcribe</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Not found (drive disconnected?)</source>
        <translation>未找到（驱动器已断开？）</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>RowItemsModel</name>
    <message>
        <source>{percent}% played</source>
        <translation>已播放 {percent}%</translation>
    </message>
</context>
<context>
    <name>RowShelf</name>
    <message>
        <source>Enter plays the selected card; the Menu key or Shift+F10 shows more actions.</source>
        <translation>按 Enter 播放所选卡片；按菜单键或 Shift+F10 显示更多操作。</translation>
    </message>
    <message>
        <source>Scroll left</source>
        <translation>向左滚动</translation>
    </message>
    <message>
        <source>Scroll right</source>
        <translation>向右滚动</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search your library</source>
        <translation>搜索你的媒体库</translation>
    </message>
    <message>
        <source>Results appear as you type. Down moves to the results.</source>
        <translation>输入时即显示结果。按向下键移到结果列表。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Podcasts</source>
        <translation>播客</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Any language</source>
        <translation>任意语言</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Unwatched only</source>
        <translation>仅未看(&amp;U)</translation>
    </message>
    <message>
        <source>Unwatched only</source>
        <translation>仅未看</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>搜索状态</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Enter shows the details of the selected result; Ctrl+Enter plays it.</source>
        <translation>按 Enter 显示所选结果的详情；按 Ctrl+Enter 播放。</translation>
    </message>
    <message>
        <source>Show &amp;more</source>
        <translation>显示更多(&amp;M)</translation>
    </message>
    <message>
        <source>Show more results</source>
        <translation>显示更多结果</translation>
    </message>
    <message>
        <source>List more items, however loosely they match</source>
        <translation>列出更多项目，即使匹配度不高</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>详情(&amp;D)</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play the selected result (Ctrl+Enter)</source>
        <translation>播放所选结果 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Preparing search…</source>
        <translation>正在准备搜索…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No results for &quot;%1&quot;; the closest matches are below.</source>
        <translation>没有“%1”的结果；下面是最接近的匹配。</translation>
    </message>
    <message>
        <source>No results for &quot;%1&quot;</source>
        <translation>没有找到“%1”的结果</translation>
    </message>
    <message numerus="yes">
        <source>%n results</source>
        <translation>
            <numerusform>%n 个结果</numerusform>
        </translation>
    </message>
    <message>
        <source>(preparing search by meaning…)</source>
        <translation>（正在准备语义搜索…）</translation>
    </message>
    <message>
        <source>(keyword matches only: %1)</source>
        <translation>（仅关键词匹配：%1）</translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>搜索失败：%1</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Podcast</source>
        <translation>播客</translation>
    </message>
    <message>
        <source>TV episode</source>
        <translation>电视剧集</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>电影</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Similar topic</source>
        <translation>主题相近</translation>
    </message>
    <message>
        <source>Closest matches</source>
        <translation>最接近的匹配</translation>
    </message>
    <message>
        <source>Matches your words and topic</source>
        <translation>与关键词和主题都匹配</translation>
    </message>
    <message>
        <source>Matches your words</source>
        <translation>与关键词匹配</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Podcasts</source>
        <translation>播客</translation>
    </message>
    <message>
        <source>Videos</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Podcasts and videos</source>
        <translation>播客和视频</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings sections</source>
        <translation>设置分区</translation>
    </message>
    <message>
        <source>&amp;Folders</source>
        <translation>文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Indexing</source>
        <translation>索引(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation>用户(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <source>Settings status</source>
        <translation>设置状态</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>ShowListModel</name>
    <message numerus="yes">
        <source>%n episodes</source>
        <translation>
            <numerusform>%n 集</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n unplayed</source>
        <translation>
            <numerusform>%1 · %n 集未播放</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Stage</name>
    <message>
        <source>Artwork</source>
        <translation>封面</translation>
    </message>
</context>
<context>
    <name>Statuses</name>
    <message>
        <source>Preparing the search model…</source>
        <translation>正在准备搜索模型…</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <source>Indexing paused</source>
        <translation>索引已暂停</translation>
    </message>
    <message>
        <source>Indexing stopped</source>
        <translation>索引已停止</translation>
    </message>
    <message>
        <source>Indexing stopped after an error</source>
        <translation>索引因错误而停止</translation>
    </message>
    <message>
        <source>Details are in the log (View ▸ Log): %1</source>
        <translation>详情见日志（查看 ▸ 日志）：%1</translation>
    </message>
    <message>
        <source>Indexed by another Reelcast (process %1)</source>
        <translation>由另一个 Reelcast 索引（进程 %1）</translation>
    </message>
    <message>
        <source>Indexed by another Reelcast</source>
        <translation>由另一个 Reelcast 索引</translation>
    </message>
    <message>
        <source>Another Reelcast window or command is indexing this library. Changes to your folders are queued here and that process indexes them; this one takes over when it ends.</source>
        <translation>另一个 Reelcast 窗口或命令正在索引此媒体库。文件夹中的更改会在这里排队，由那个进程进行索引；它结束后由这里接手。</translation>
    </message>
    <message>
        <source>Reading files: %1 of %2</source>
        <translation>正在读取文件：%1 / %2</translation>
    </message>
    <message>
        <source>Indexing: %1 of %2</source>
        <translation>正在索引：%1 / %2</translation>
    </message>
    <message>
        <source> · %1 items/s</source>
        <translation> · %1 项/秒</translation>
    </message>
    <message numerus="yes">
        <source> · about %n s left</source>
        <translation>
            <numerusform> · 约剩 %n 秒</numerusform>
        </translation>
    </message>
    <message>
        <source>Transcribing %1 of %2</source>
        <translation>正在转写第 %1 个，共 %2 个</translation>
    </message>
    <message numerus="yes">
        <source> · about %n min left</source>
        <translation>
            <numerusform> · 约剩 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>Listening to “%1” so that what is said in it can be searched. It pauses while you play something.</source>
        <translation>正在收听“%1”，以便搜索其中说到的内容。播放时会暂停。</translation>
    </message>
    <message numerus="yes">
        <source> · %n changes waiting</source>
        <translation>
            <numerusform> · %n 项更改等待处理</numerusform>
        </translation>
    </message>
    <message>
        <source>Starting to watch</source>
        <translation>正在开始监视</translation>
    </message>
    <message>
        <source>Changes are seen as they happen</source>
        <translation>更改会即时发现</translation>
    </message>
    <message>
        <source>Checked for changes every %1 s, as set in the settings</source>
        <translation>按设置每 %1 秒检查一次更改</translation>
    </message>
    <message>
        <source>A FUSE file system (%1): checked for changes every %2 s</source>
        <translation>FUSE 文件系统（%1）：每 %2 秒检查一次更改</translation>
    </message>
    <message>
        <source>A network file system (%1): changes made on other computers are only seen by checking, every %2 s</source>
        <translation>网络文件系统（%1）：其他电脑上的更改只能靠检查发现，每 %2 秒一次</translation>
    </message>
    <message>
        <source>Only %1 of %2 folders could be watched (the system&apos;s limit, fs.inotify.max_user_watches): checked for changes every %3 s instead</source>
        <translation>只能监视 %2 个文件夹中的 %1 个（系统上限 fs.inotify.max_user_watches）：改为每 %3 秒检查一次更改</translation>
    </message>
    <message>
        <source>The system&apos;s limit on watched folders is reached (fs.inotify.max_user_watches): checked for changes every %1 s instead</source>
        <translation>已达到系统可监视文件夹的上限（fs.inotify.max_user_watches）：改为每 %1 秒检查一次更改</translation>
    </message>
    <message>
        <source>The system&apos;s limit on watchers or open files is reached (fs.inotify.max_user_instances): checked for changes every %1 s instead</source>
        <translation>已达到系统监视器或打开文件数的上限（fs.inotify.max_user_instances）：改为每 %1 秒检查一次更改</translation>
    </message>
    <message>
        <source>Changes cannot be watched here (%1): checked every %2 s instead</source>
        <translation>此处无法监视更改（%1）：改为每 %2 秒检查一次</translation>
    </message>
    <message>
        <source>Not watched: the folder is not there</source>
        <translation>未监视：文件夹不存在</translation>
    </message>
    <message>
        <source>Not watched: %1</source>
        <translation>未监视：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n folders not watched</source>
        <translation>
            <numerusform>%n 个文件夹未被监视</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Watching folders (%n checked by polling)</source>
        <translation>
            <numerusform>正在监视文件夹（%n 个以轮询检查）</numerusform>
        </translation>
    </message>
    <message>
        <source>Watching folders</source>
        <translation>正在监视文件夹</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 is not a folder</source>
        <translation>%1 不是文件夹</translation>
    </message>
    <message>
        <source>%1 is already in your library</source>
        <translation>%1 已在你的媒体库中</translation>
    </message>
    <message>
        <source>%1 overlaps the library folder %2: add folders that do not contain each other</source>
        <translation>%1 与媒体库文件夹 %2 重叠：请添加互不包含的文件夹</translation>
    </message>
    <message>
        <source>That library folder is no longer in the library</source>
        <translation>该媒体库文件夹已不在媒体库中</translation>
    </message>
    <message>
        <source>%1 is already a library folder: remove it, with its items, first</source>
        <translation>%1 已是媒体库文件夹：请先将其连同其中的项目一起移除</translation>
    </message>
    <message>
        <source>Files under %1 belong to a removed library folder: forget that folder first</source>
        <translation>%1 下的文件属于一个已移除的媒体库文件夹：请先彻底忘记该文件夹</translation>
    </message>
    <message>
        <source>Reelcast is closing</source>
        <translation>Reelcast 正在关闭</translation>
    </message>
    <message>
        <source>Another Reelcast (process %1) is indexing this library</source>
        <translation>另一个 Reelcast（进程 %1）正在索引此媒体库</translation>
    </message>
    <message>
        <source>Another Reelcast is indexing this library</source>
        <translation>另一个 Reelcast 正在索引此媒体库</translation>
    </message>
    <message>
        <source>%1 exists already; it was left as it is</source>
        <translation>%1 已存在，未作改动</translation>
    </message>
    <message>
        <source>This episode has not been transcribed</source>
        <translation>本集尚未转写</translation>
    </message>
    <message>
        <source>The episode&apos;s file is not available (missing or on a drive offline)</source>
        <translation>本集的文件不可用（已丢失或所在驱动器未连接）</translation>
    </message>
    <message>
        <source>%1 cannot be written there</source>
        <translation>无法在该处写入 %1</translation>
    </message>
    <message>
        <source>Default</source>
        <comment>the profile every library starts with</comment>
        <translation>默认</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>节目</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Today %1</source>
        <translation>今天 %1</translation>
    </message>
    <message>
        <source>Yesterday %1</source>
        <translation>昨天 %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <comment>position of length</comment>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Marked as played</source>
        <translation>标记为已播放</translation>
    </message>
    <message>
        <source>Marked as not played</source>
        <translation>标记为未播放</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>已播放</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已播完</translation>
    </message>
    <message>
        <source>Marked as watched</source>
        <translation>标记为已看</translation>
    </message>
    <message>
        <source>Marked as not watched</source>
        <translation>标记为未看</translation>
    </message>
    <message>
        <source>Liked</source>
        <translation>已喜欢</translation>
    </message>
    <message>
        <source>Disliked</source>
        <translation>不喜欢</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>不感兴趣</translation>
    </message>
    <message>
        <source>Like withdrawn</source>
        <translation>取消喜欢</translation>
    </message>
    <message>
        <source>Dislike withdrawn</source>
        <translation>取消不喜欢</translation>
    </message>
    <message>
        <source>Interested again</source>
        <translation>重新感兴趣</translation>
    </message>
    <message>
        <source>Followed</source>
        <translation>已关注</translation>
    </message>
    <message>
        <source>Unfollowed</source>
        <translation>已取消关注</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>已暂缓推荐</translation>
    </message>
    <message>
        <source>Snooze ended</source>
        <translation>暂缓结束</translation>
    </message>
    <message>
        <source>%1 (from Kodi)</source>
        <translation>%1（来自 Kodi）</translation>
    </message>
    <message>
        <source>Stopped at %1 of %2</source>
        <translation>停在 %1 / %2</translation>
    </message>
    <message>
        <source>Stopped at %1</source>
        <translation>停在 %1</translation>
    </message>
    <message>
        <source>Until %1</source>
        <translation>直到 %1</translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <source>Welcome to Reelcast</source>
        <translation>欢迎使用 Reelcast</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>Tell Reelcast where your podcasts and videos live. It reads them on this computer only, lists them in your library and recommends what to play next.</source>
        <translation>告诉 Reelcast 你的播客和视频存放在哪里。它只在这台电脑上读取这些文件，将其列入媒体库，并推荐接下来播放的内容。</translation>
    </message>
    <message>
        <source>Add &amp;podcasts…</source>
        <translation>添加播客(&amp;P)…</translation>
    </message>
    <message>
        <source>A folder of podcast episodes you downloaded</source>
        <translation>存放你下载的播客单集的文件夹</translation>
    </message>
    <message>
        <source>Add &amp;films and TV…</source>
        <translation>添加电影和剧集(&amp;F)…</translation>
    </message>
    <message>
        <source>A folder of films and TV shows</source>
        <translation>存放电影和电视剧的文件夹</translation>
    </message>
    <message>
        <source>Add a folder with &amp;both…</source>
        <translation>添加两者兼有的文件夹(&amp;B)…</translation>
    </message>
    <message>
        <source>One folder that holds podcasts, films and TV shows together</source>
        <translation>同时存放播客、电影和电视剧的文件夹</translation>
    </message>
    <message>
        <source>Just want to look around? The demo library has a few short generated podcast episodes, a TV show and some films.</source>
        <translation>只想随便看看？演示媒体库包含几段生成的简短播客节目、一部电视剧和几部电影。</translation>
    </message>
    <message>
        <source>Try the &amp;demo library</source>
        <translation>试用演示媒体库(&amp;D)</translation>
    </message>
    <message>
        <source>Try the demo library</source>
        <translation>试用演示媒体库</translation>
    </message>
    <message>
        <source>Demo library progress</source>
        <translation>演示媒体库进度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Choose your podcasts folder</source>
        <translation>选择你的播客文件夹</translation>
    </message>
    <message>
        <source>Choose your films and TV folder</source>
        <translation>选择你的电影和剧集文件夹</translation>
    </message>
    <message>
        <source>Choose a folder with podcasts, films and TV</source>
        <translation>选择包含播客、电影和剧集的文件夹</translation>
    </message>
    <message>
        <source>Adding %1…</source>
        <translation>正在添加 %1…</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>Creating the demo library…</source>
        <translation>正在创建演示媒体库…</translation>
    </message>
    <message numerus="yes">
        <source>The demo library is ready: %n items.</source>
        <translation>
            <numerusform>演示媒体库已就绪：%n 个项目。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>_HitRow</name>
    <message>
        <source>Said at</source>
        <translation>说到的时间</translation>
    </message>
    <message>
        <source>Passage</source>
        <translation>段落</translation>
    </message>
    <message>
        <source>Play from here</source>
        <translation>从这里播放</translation>
    </message>
    <message>
        <source>Play %1 from %2</source>
        <translation>从 %2 开始播放 %1</translation>
    </message>
</context>
</TS>

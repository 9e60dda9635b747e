"""The plan as markdown: render (GitHub-flavoured), parse and import (text -> parsed -> applied to
the model), the publishable parts, and the preview's sanitised HTML. No Qt."""

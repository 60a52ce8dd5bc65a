// Every post's URL, layout and visibility come from the content model
// (lib/content/model.ts), so pages, feeds and navigation agree on them.
export default {
  layout: "layouts/post.njk",
  eleventyComputed: {
    permalink: (data) => data.blog.permalinkFor(data.page.inputPath),
    eleventyExcludeFromCollections: () => true,
    post: (data) => data.blog.postAt(data.page.inputPath),
    description: (data) => data.blog.postAt(data.page.inputPath).description,
  },
};

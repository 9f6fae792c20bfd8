/** Enterprise applications › New application › Browse Microsoft Entra Gallery: the mock's one template. */
import type { EnterpriseApp } from './apps.js';

/** One entry of the application gallery. */
export interface GalleryItem {
  template: EnterpriseApp['template'];
  name: string;
  publisher: string;
  description: string;
}

/** The mock's gallery: Mimecast is its one template. */
export const GALLERY: readonly GalleryItem[] = [
  {
    template: 'mimecast',
    name: 'Mimecast',
    publisher: 'Mimecast',
    description: 'Email security, archiving and continuity. Single sign-on with SAML.',
  },
];

/** The gallery entries whose name or publisher contains the search text (case-insensitive); all for an empty search. */
export function searchGallery(query: string): GalleryItem[] {
  const wanted = query.trim().toLowerCase();
  return GALLERY.filter(
    (item) => wanted === '' || item.name.toLowerCase().includes(wanted) || item.publisher.toLowerCase().includes(wanted),
  );
}
